import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  channelOrders,
  operationalExceptions,
  orderLines,
  shippingMethods,
  type ChannelOrder,
  type ChannelOrderLine,
  type ShopConnection,
  type ShopifyWebhookDelivery,
} from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { recordOrderSubmission } from "@/lib/metrics/record";
import { amendOrder } from "@/lib/orders/amend";
import { cancelOrder } from "@/lib/orders/cancel";
import { releaseHold } from "@/lib/orders/hold";
import { createOrder } from "@/lib/orders/create";
import { UNMAPPED_SKU } from "@/lib/orders/place";
import { findOrderRow, presentAddress } from "@/lib/orders/present";
import { createOrderSchema, type CreateOrderInput } from "@/lib/orders/schema";
import { addMappingHref } from "@/lib/sku-map/links";
import { learnVariantIds, resolveChannelSkus, type ResolvedSku } from "@/lib/sku-map/mappings";
import { channelLinesOf, channelSkuLabel, dateOf, NotYetError, PermanentError, priceOf, shippingTitleOf, shipToOf, tagsOf, type ShopifyOrder } from "./payload";

export const CANCELLATION_DECLINED = "cancellation_declined";
export const AMENDMENT_REJECTED = "amendment_rejected";

/** What a processed delivery did, kept on the inbox row for the dashboard. */
export type Outcome = { outcome: string; orderId?: string | null };

/** Every change a Shopify webhook causes is made as the shop, in the connection's account and environment. */
export function shopContext(connection: Pick<ShopConnection, "accountId" | "environment" | "shopDomain">): DomainContext {
  return { accountId: connection.accountId, environment: connection.environment, source: "shopify", actor: `shopify:${connection.shopDomain}` };
}

export function shopifyReference(shopDomain: string, shopifyOrderId: string): string {
  return `shopify:${shopDomain}:${shopifyOrderId}`;
}

/**
 * Serializes everything that touches one Shopify order (create, update, cancel, re-run after a mapping) across
 * workers, for the rest of the transaction: they apply one after the other, each seeing the last one's result.
 */
async function lockShopifyOrder(tx: DbOrTx, shopDomain: string, shopifyOrderId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`shopify-order:${shopDomain}:${shopifyOrderId}`}, 0))`);
}

async function findChannelOrder(tx: DbOrTx, shopDomain: string, shopifyOrderId: string): Promise<ChannelOrder | undefined> {
  const [row] = await tx
    .select()
    .from(channelOrders)
    .where(and(eq(channelOrders.shopDomain, shopDomain), eq(channelOrders.shopifyOrderId, shopifyOrderId)));
  return row;
}

type Items = {
  items: CreateOrderInput["items"];
  channelLines: { channelSku: string | null; channelLineId: string }[];
  unmapped: ChannelOrderLine[];
  learned: { mappingId: string; variantId: string }[];
};

/** Hub order lines from Shopify lines: the account SKU where the map knows it, the channel SKU where it does not. */
function itemsOf(lines: ChannelOrderLine[], resolved: (ResolvedSku | null)[], currency: string | null): Items {
  const out: Items = { items: [], channelLines: [], unmapped: [], learned: [] };
  lines.forEach((line, i) => {
    const hit = resolved[i];
    if (!hit) out.unmapped.push(line);
    else if (hit.mappingId && line.variantId) out.learned.push({ mappingId: hit.mappingId, variantId: line.variantId });
    const price = priceOf(line.price);
    out.items.push({
      sku: (hit?.sku ?? channelSkuLabel(line)).slice(0, 200),
      description: line.title,
      quantity: line.quantity,
      ...(price && currency && /^[A-Z]{3}$/.test(currency) ? { unit_price: price, currency } : {}),
    });
    out.channelLines.push({ channelSku: line.sku, channelLineId: line.lineItemId });
  });
  return out;
}

async function shippingMethodIdFor(tx: DbOrTx, ctx: DomainContext, title: string | null): Promise<string | undefined> {
  if (!title) return undefined;
  const [row] = await tx
    .select({ id: shippingMethods.id })
    .from(shippingMethods)
    .where(and(eq(shippingMethods.environment, ctx.environment), sql`lower(${shippingMethods.name}) = lower(${title})`))
    .limit(1);
  return row?.id;
}

/** Adds to the open unmapped-SKU exception what a human needs to fix it: the lines, and the prefilled form. */
async function describeUnmapped(tx: DbOrTx, ctx: DomainContext, orderId: string, unmapped: ChannelOrderLine[]): Promise<void> {
  const [exception] = await tx
    .select()
    .from(operationalExceptions)
    .where(and(eq(operationalExceptions.orderId, orderId), eq(operationalExceptions.kind, UNMAPPED_SKU), eq(operationalExceptions.status, "open")));
  if (!exception) return;
  const first = unmapped[0];
  const lines = unmapped.map((l) => ({ channel_sku: l.sku, variant_id: l.variantId, title: l.title, add_mapping_href: addMappingHref({ ...ctx, channelSku: l.sku, variantId: l.variantId, orderId }) }));
  await tx
    .update(operationalExceptions)
    .set({
      data: {
        ...(exception.data ?? {}),
        channel: "shopify",
        unmapped: lines,
        action_label: "Add this mapping",
        action_href: addMappingHref({ ...ctx, channelSku: first.sku, variantId: first.variantId, orderId }),
      },
    })
    .where(eq(operationalExceptions.id, exception.id));
}

/** Best effort: a variant learned for a mapping must never fail the order it was learned from. */
async function learn(tx: DbOrTx, ctx: DomainContext, learned: Items["learned"]): Promise<void> {
  if (!learned.length) return;
  await tx.transaction((sp) => learnVariantIds(sp, ctx, learned)).catch(() => undefined);
}

/**
 * orders/create (and an orders/updated for an order not seen yet): validates every line against the SKU map and
 * creates the hub order through createOrder — routed and allocated, or on hold with every line kept when one is
 * unmapped. (shop, Shopify order id) is unique, and createOrder dedups on the reference: one order, ever.
 */
export async function intakeOrder(tx: DbOrTx, connection: ShopConnection, delivery: Pick<ShopifyWebhookDelivery, "receivedAt">, order: ShopifyOrder): Promise<Outcome> {
  const ctx = shopContext(connection);
  await lockShopifyOrder(tx, connection.shopDomain, order.id);
  const existing = await findChannelOrder(tx, connection.shopDomain, order.id);
  if (existing) return { outcome: "duplicate", orderId: existing.orderId };

  const lines = channelLinesOf(order);
  if (!lines.length) return { outcome: "nothing_to_ship" };
  const resolved = await resolveChannelSkus(tx, ctx, lines.map((l) => ({ variantId: l.variantId, channelSku: l.sku })));
  const built = itemsOf(lines, resolved, order.currency?.toUpperCase() ?? null);
  const methodId = await shippingMethodIdFor(tx, ctx, shippingTitleOf(order));
  const reference = shopifyReference(connection.shopDomain, order.id);
  const candidate = {
    order_number: order.name.slice(0, 100),
    reference,
    order_date: (dateOf(order.created_at) ?? new Date()).toISOString(),
    ship_to: shipToOf(order),
    items: built.items,
    tags: tagsOf(order),
    ...(methodId ? { shipping_method_id: methodId } : {}),
  };
  const body = createOrderSchema.safeParse(candidate);
  if (!body.success) {
    const issue = body.error.issues[0];
    throw new PermanentError(`Order ${order.name} cannot become a hub order: ${issue.path.join(".")} ${issue.message}.`);
  }
  // The Shopify order is the request: a second create of the same order is a replay whatever its payload says.
  const { order: created } = await createOrder(tx, ctx, body.data, {
    channel: "shopify",
    channelLines: built.channelLines,
    unknownSkus: "hold",
    requestHash: reference,
  });
  await tx.insert(channelOrders).values({
    id: newId("cho"),
    accountId: ctx.accountId,
    environment: ctx.environment,
    connectionId: connection.id,
    shopDomain: connection.shopDomain,
    shopifyOrderId: order.id,
    shopifyOrderName: order.name,
    orderId: created.id,
    lines,
    shopifyUpdatedAt: dateOf(order.updated_at),
  });
  if (built.unmapped.length) await describeUnmapped(tx, ctx, created.id, built.unmapped);
  await learn(tx, ctx, built.learned);
  await recordOrderSubmission(tx, {
    accountId: ctx.accountId,
    environment: ctx.environment,
    shopDomain: connection.shopDomain,
    lagSeconds: (Date.now() - delivery.receivedAt.getTime()) / 1000,
    lines: lines.length,
    unmappedLines: built.unmapped.length,
  });
  return { outcome: built.unmapped.length ? "created_on_hold_unmapped_sku" : `created_${created.status}`, orderId: created.id };
}

/** An exception a human must act on, tied to the order (the dashboard's exception queue shows it). */
async function raiseException(tx: DbOrTx, ctx: DomainContext, input: { kind: string; orderId: string; message: string; data?: Record<string, unknown> }) {
  await tx.insert(operationalExceptions).values({ id: newId("exc"), accountId: ctx.accountId, environment: ctx.environment, ...input, data: input.data ?? null });
}

function sameAddress(a: ReturnType<typeof presentAddress>, b: ReturnType<typeof presentAddress>): boolean {
  return (Object.keys(a) as (keyof typeof a)[]).every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/**
 * orders/updated: applies Shopify's current lines (current_quantity) and shipping address to the hub order while
 * the warehouse has not started on it. Updates that change nothing the warehouse cares about (payment, tags, our
 * own fulfillments) do nothing; one that arrives too late is recorded (amendment_rejected) and raised for a human.
 * An older payload than the last applied is ignored.
 */
export async function updateOrder(tx: DbOrTx, connection: ShopConnection, delivery: Pick<ShopifyWebhookDelivery, "receivedAt">, order: ShopifyOrder): Promise<Outcome> {
  const ctx = shopContext(connection);
  await lockShopifyOrder(tx, connection.shopDomain, order.id);
  const channelOrder = await findChannelOrder(tx, connection.shopDomain, order.id);
  if (!channelOrder) {
    // Shopify does not promise order: the update may overtake its create. It carries the whole order, so it creates it.
    if (order.cancelled_at) throw new NotYetError(`Order ${order.name} is unknown here and already cancelled in Shopify; waiting for its orders/create.`);
    return intakeOrder(tx, connection, delivery, order);
  }
  const updatedAt = dateOf(order.updated_at);
  if (updatedAt && channelOrder.shopifyUpdatedAt && updatedAt <= channelOrder.shopifyUpdatedAt) return { outcome: "stale", orderId: channelOrder.orderId };
  const lines = channelLinesOf(order);
  await tx
    .update(channelOrders)
    .set({ lines, shopifyUpdatedAt: updatedAt ?? channelOrder.shopifyUpdatedAt })
    .where(eq(channelOrders.id, channelOrder.id));

  const current = await findOrderRow(tx, ctx, channelOrder.orderId);
  if (!current) return { outcome: "order_missing", orderId: channelOrder.orderId };
  if (current.status === "cancelled") return { outcome: "order_cancelled", orderId: current.id };
  const currentLines = await tx.select().from(orderLines).where(eq(orderLines.orderId, current.id));
  const resolved = await resolveChannelSkus(tx, ctx, lines.map((l) => ({ variantId: l.variantId, channelSku: l.sku })));
  const built = itemsOf(lines, resolved, order.currency?.toUpperCase() ?? null);

  const lineKey = (sku: string, quantity: number, lineId: string | null) => `${lineId ?? ""}\u0000${sku}\u0000${quantity}`;
  const before = currentLines.map((l) => lineKey(l.sku, l.quantity, l.channelLineId)).sort();
  const after = built.items.map((item, i) => lineKey(item.sku, item.quantity, built.channelLines[i].channelLineId)).sort();
  const itemsChanged = before.join("\n") !== after.join("\n");
  let shipTo: ReturnType<typeof shipToOf> | undefined;
  try {
    shipTo = shipToOf(order);
  } catch {
    shipTo = undefined; // an address removed in Shopify leaves the hub's as it was
  }
  const addressChanged = shipTo !== undefined && !sameAddress(presentAddress(shipTo), presentAddress(current.shipTo));
  if (!itemsChanged && !addressChanged) return { outcome: "no_change", orderId: current.id };

  const changes = [itemsChanged ? "lines" : null, addressChanged ? "shipping address" : null].filter(Boolean).join(" and ");
  if (itemsChanged && !lines.length) {
    await appendOrderEvent(tx, ctx, current.id, { type: "note", message: `Every line was removed in Shopify; the order stays as it is until Shopify cancels it.` });
    return { outcome: "all_lines_removed", orderId: current.id };
  }
  if (itemsChanged && built.unmapped.length) {
    const skus = built.unmapped.map(channelSkuLabel);
    if (current.status === "on_hold" && current.holdReason === UNMAPPED_SKU) {
      await appendOrderEvent(tx, ctx, current.id, {
        type: "note",
        message: `Updated in Shopify (${changes}); the new lines apply when the SKU mapping for ${skus.join(", ")} is added.`,
      });
      return { outcome: "held_unmapped_sku", orderId: current.id };
    }
    await appendOrderEvent(tx, ctx, current.id, {
      type: AMENDMENT_REJECTED,
      message: `Shopify changed the ${changes}, but ${skus.join(", ")} has no SKU mapping; the order was left as it was.`,
      data: { reason: UNMAPPED_SKU, skus },
    });
    await raiseException(tx, ctx, {
      kind: UNMAPPED_SKU,
      orderId: current.id,
      message: `Order ${current.orderNumber}: an edit in Shopify added ${skus.join(", ")}, which has no SKU mapping; the edit was not applied.`,
      data: { channel: "shopify", skus, action_label: "Add this mapping", action_href: addMappingHref({ ...ctx, channelSku: built.unmapped[0].sku, variantId: built.unmapped[0].variantId, orderId: current.id }) },
    });
    return { outcome: AMENDMENT_REJECTED, orderId: current.id };
  }

  try {
    await amendOrder(
      tx,
      ctx,
      current.id,
      { ...(itemsChanged ? { items: built.items } : {}), ...(addressChanged ? { ship_to: shipTo } : {}) },
      itemsChanged ? { channelLines: built.channelLines } : {},
    );
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "too_late_to_amend") throw error;
    const status = String(error.details.order_status ?? current.status);
    await appendOrderEvent(tx, ctx, current.id, {
      type: AMENDMENT_REJECTED,
      message: `Shopify changed the ${changes}, but the order is already ${status.replaceAll("_", " ")} at the warehouse; the change was not applied.`,
      data: { order_status: status, changed: changes },
    });
    await raiseException(tx, ctx, {
      kind: AMENDMENT_REJECTED,
      orderId: current.id,
      message: `Order ${current.orderNumber} was edited in Shopify (${changes}) after the warehouse started on it (${status}). Contact the warehouse or the customer.`,
      data: { order_status: status, changed: changes },
    });
    return { outcome: AMENDMENT_REJECTED, orderId: current.id };
  }
  await learn(tx, ctx, built.learned);
  return { outcome: "amended", orderId: current.id };
}

/**
 * orders/cancelled, by the guide's state machine: not yet at the warehouse → cancelled (stock released); being
 * picked → not cancelled, cancellation_declined on the timeline and an exception for a human; shipped (in part
 * or whole) → return_expected on the timeline. The orders domain decides which state the order is in.
 */
export async function cancelFromShopify(tx: DbOrTx, connection: ShopConnection, order: ShopifyOrder): Promise<Outcome> {
  const ctx = shopContext(connection);
  await lockShopifyOrder(tx, connection.shopDomain, order.id);
  const channelOrder = await findChannelOrder(tx, connection.shopDomain, order.id);
  if (!channelOrder) throw new NotYetError(`Order ${order.name} is not known here yet; the cancellation waits for its orders/create.`);
  const reason = order.cancel_reason ? `cancelled in Shopify (${order.cancel_reason})` : "cancelled in Shopify";
  try {
    const cancelled = await cancelOrder(tx, ctx, channelOrder.orderId, { reason });
    return { outcome: cancelled.status === "cancelled" ? "cancelled" : cancelled.status, orderId: channelOrder.orderId };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const status = String(error.details.order_status ?? "");
    if (error.code === "picking_started") {
      await appendOrderEvent(tx, ctx, channelOrder.orderId, {
        type: CANCELLATION_DECLINED,
        status,
        message: `The customer's order was ${reason}, but the warehouse is already picking it. It was not cancelled: someone must stop it at the warehouse or let it ship.`,
        data: { order_status: status, cancel_reason: order.cancel_reason ?? null },
      });
      await raiseException(tx, ctx, {
        kind: CANCELLATION_DECLINED,
        orderId: channelOrder.orderId,
        message: `Order ${order.name} was ${reason} while the warehouse was picking it. Stop the pick or arrange a return.`,
        data: { order_status: status, shop: connection.shopDomain, shopify_order_id: order.id },
      });
      return { outcome: CANCELLATION_DECLINED, orderId: channelOrder.orderId };
    }
    if (error.code === "already_shipped") {
      await appendOrderEvent(tx, ctx, channelOrder.orderId, {
        type: "return_expected",
        status,
        message: `The order was ${reason} after it shipped: expect the goods back as a return.`,
        data: { order_status: status, cancel_reason: order.cancel_reason ?? null },
      });
      return { outcome: "return_expected", orderId: channelOrder.orderId };
    }
    throw error;
  }
}

/**
 * Re-runs an order held for unmapped SKUs against the SKU map as it is now: when every line maps, the same hub
 * order gets the account SKUs and is routed and allocated (never a second order). Lines Shopify has not changed
 * since keep their rows (only their SKU is filled in); if Shopify edited the order meanwhile, its current lines
 * replace them. Returns whether the order was released.
 */
export async function rerunHeldOrder(tx: DbOrTx, ctx: DomainContext, channelOrder: ChannelOrder): Promise<boolean> {
  await lockShopifyOrder(tx, channelOrder.shopDomain, channelOrder.shopifyOrderId);
  const [fresh] = await tx.select().from(channelOrders).where(eq(channelOrders.id, channelOrder.id));
  const order = await findOrderRow(tx, ctx, fresh.orderId);
  if (!order || order.status !== "on_hold" || order.holdReason !== UNMAPPED_SKU) return false;
  const resolved = await resolveChannelSkus(tx, ctx, fresh.lines.map((l) => ({ variantId: l.variantId, channelSku: l.sku })));
  if (resolved.some((r) => r === null)) return false;
  const hubLines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id));
  const built = itemsOf(fresh.lines, resolved, hubLines[0]?.currency ?? null);
  const byLineId = new Map(hubLines.map((l) => [l.channelLineId, l]));
  const unchanged =
    hubLines.length === fresh.lines.length && fresh.lines.every((l) => byLineId.get(l.lineItemId)?.quantity === l.quantity);
  if (unchanged) {
    for (const [i, line] of fresh.lines.entries()) {
      const hub = byLineId.get(line.lineItemId);
      const hit = resolved[i];
      if (hub && hit && hub.skuId === null) await tx.update(orderLines).set({ skuId: hit.skuId, sku: hit.sku }).where(eq(orderLines.id, hub.id));
    }
    await appendOrderEvent(tx, ctx, order.id, { type: "note", message: "Every line now has a SKU mapping: the order is released from its hold." });
    await releaseHold(tx, ctx, order.id);
  } else {
    await amendOrder(tx, ctx, order.id, { items: built.items }, { channelLines: built.channelLines });
  }
  await learn(tx, ctx, built.learned);
  return true;
}
