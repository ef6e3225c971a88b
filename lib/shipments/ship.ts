import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  allocations,
  orderLines,
  shipmentItems,
  shipmentParcels,
  shipments,
  shippingMethods,
  type Allocation,
  type Dimensions,
  type Measure,
  type Order,
  type OrderLine,
  type ShippingMethod,
} from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { lockStock, moveStock, stockKey, type StockKey } from "@/lib/inventory/stock";
import { FulfilmentError } from "./errors";
import { lockOrder, setOrderStatus } from "./order-lock";
import { loadShipmentsByIds, storeShipmentDocuments, type ShipmentObject } from "./present";
import type { ShipmentContent } from "./schema";

export type ParcelInput = {
  trackingNumber?: string;
  trackingUrl?: string;
  carrier?: string;
  service?: string;
  weight?: Measure;
  dimensions?: Dimensions;
};

export type CreateShipmentInput = {
  orderId: string;
  /** What shipped; default every unit not yet shipped. */
  items?: { sku: string; quantity: number }[];
  /** One per physical box; default one parcel. A parcel without a tracking number gets a generated one. */
  parcels?: ParcelInput[];
  cost?: { amount: string; currency: string };
  /** The reporting system's own shipment id: a second report of it returns the first shipment and creates nothing. */
  externalId?: string;
  /** When it left the building (default now). */
  shippedAt?: Date;
  rawStatus?: string;
};

export type CreateShipmentResult = {
  shipment: ShipmentObject;
  /** false when externalId had already been recorded: nothing was written. */
  created: boolean;
  orderStatus: Order["status"];
};

/** The API body (`{items?, parcels?, cost?}`) as createShipment's input. */
export function shipmentInputFromContent(content: ShipmentContent): Omit<CreateShipmentInput, "orderId"> {
  return {
    items: content.items,
    cost: content.cost,
    parcels: content.parcels?.map((p) => ({
      trackingNumber: p.tracking_number,
      trackingUrl: p.tracking_url,
      carrier: p.carrier,
      service: p.service,
      weight: p.weight,
      dimensions: p.dimensions,
    })),
  };
}

const TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // 32 symbols: byte % 32 has no bias

/** A tracking number for a parcel the warehouse reported without one (the sandbox never touches a carrier). */
export function generateTrackingNumber(environment: DomainContext["environment"]): string {
  const body = [...randomBytes(14)].map((b) => TRACKING_ALPHABET[b % 32]).join("");
  return `${environment === "sandbox" ? "SBX" : "HUB"}${body}`;
}

function trackingUrlFor(method: ShippingMethod | undefined, trackingNumber: string): string | null {
  return method?.trackingUrlTemplate ? method.trackingUrlTemplate.replaceAll("{tracking_number}", encodeURIComponent(trackingNumber)) : null;
}

async function shippingMethodOf(tx: DbOrTx, ctx: DomainContext, order: Order): Promise<ShippingMethod | undefined> {
  const byId = order.shippingMethodId ? eq(shippingMethods.id, order.shippingMethodId) : eq(shippingMethods.isDefault, true);
  const [method] = await tx
    .select()
    .from(shippingMethods)
    .where(and(byId, eq(shippingMethods.environment, ctx.environment)))
    .limit(1);
  return method;
}

type LinePortion = { line: OrderLine; quantity: number };

/** Which units of which lines ship: the request checked against the lines, or every unshipped unit. */
function planItems(order: Order, lines: OrderLine[], items: CreateShipmentInput["items"]): LinePortion[] {
  const remaining = (l: OrderLine) => l.quantity - l.quantityShipped;
  if (!items) return lines.filter((l) => l.skuId && remaining(l) > 0).map((line) => ({ line, quantity: remaining(line) }));

  const wanted = new Map<string, { quantity: number; index: number }>();
  items.forEach((item, index) => {
    const linesOfSku = lines.filter((l) => l.sku === item.sku && l.skuId);
    if (!linesOfSku.length) {
      throw new FulfilmentError("unknown_item", "validation_error", `SKU '${item.sku}' is not a line of order ${order.id}.`, `items[${index}].sku`);
    }
    const total = (wanted.get(item.sku)?.quantity ?? 0) + item.quantity;
    const left = linesOfSku.reduce((sum, l) => sum + remaining(l), 0);
    if (total > left) {
      throw new FulfilmentError(
        "too_many_units",
        "validation_error",
        `Only ${left} unit(s) of SKU '${item.sku}' are left to ship on order ${order.id}.`,
        `items[${index}].quantity`,
        { unshipped_quantity: left },
      );
    }
    wanted.set(item.sku, { quantity: total, index });
  });
  // Several lines may carry one SKU: fill them in line order.
  const plan: LinePortion[] = [];
  for (const line of lines) {
    const want = wanted.get(line.sku);
    if (!want || !line.skuId) continue;
    const take = Math.min(want.quantity, remaining(line));
    if (take > 0) plan.push({ line, quantity: take });
    want.quantity -= take;
  }
  return plan;
}

function shippableOrRefuse(order: Order): void {
  const extra = { order_status: order.status };
  if (order.status === "shipped") {
    throw new FulfilmentError("order_already_shipped", "already_shipped", `Order ${order.id} has shipped in full; nothing is left to ship.`, undefined, extra);
  }
  if (order.status === "received" || order.status === "processing" || order.status === "partially_shipped") {
    if (order.warehouseId) return;
  }
  throw new FulfilmentError(
    "order_not_shippable",
    "validation_error",
    `Order ${order.id} is ${order.status}${order.warehouseId ? "" : " without a warehouse"}: it has no stock reserved to ship.`,
    undefined,
    extra,
  );
}

/** Same tenant, same external id: the shipment already recorded. */
async function existingByExternalId(tx: DbOrTx, ctx: DomainContext, externalId: string): Promise<ShipmentObject | undefined> {
  const [row] = await tx
    .select({ id: shipments.id })
    .from(shipments)
    .where(and(eq(shipments.accountId, ctx.accountId), eq(shipments.environment, ctx.environment), eq(shipments.externalId, externalId)));
  if (!row) return undefined;
  const [shipment] = await loadShipmentsByIds(tx, [row.id]);
  return shipment;
}

/**
 * Units physically left the warehouse. In one transaction (the caller's): records the shipment with one parcel
 * per tracking number and the items, consumes the lines' reserved stock (on_hand and allocated drop together),
 * advances the lines' shipped quantities and the order (partially_shipped / shipped), appends the timeline and
 * emits shipment.created and order.updated. Shipping an order that was never reported as picked is allowed:
 * warehouses often skip that report; the timeline says so.
 */
export async function createShipment(tx: DbOrTx, ctx: DomainContext, input: CreateShipmentInput): Promise<CreateShipmentResult> {
  const order = await lockOrder(tx, ctx, input.orderId);
  if (input.externalId) {
    // Under the order lock, a repeat of the same report for this order is already committed and visible here.
    const existing = await existingByExternalId(tx, ctx, input.externalId);
    if (existing) return { shipment: existing, created: false, orderStatus: order.status };
  }
  shippableOrRefuse(order);
  const warehouseId = order.warehouseId!;

  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
  const plan = planItems(order, lines, input.items);
  if (!plan.length) {
    throw new FulfilmentError("order_already_shipped", "already_shipped", `Order ${order.id} has nothing left to ship.`, undefined, { order_status: order.status });
  }

  const method = await shippingMethodOf(tx, ctx, order);
  const parcels = (input.parcels?.length ? input.parcels : [{}]).map((p) => {
    const trackingNumber = p.trackingNumber ?? generateTrackingNumber(ctx.environment);
    return {
      trackingNumber,
      trackingUrl: p.trackingUrl ?? trackingUrlFor(method, trackingNumber),
      carrier: p.carrier ?? method?.carrier ?? null,
      service: p.service ?? method?.name ?? null,
      weight: p.weight ?? null,
      dimensions: p.dimensions ?? null,
    };
  });
  const seen = new Map<string, number>();
  parcels.forEach((p, i) => {
    if (seen.has(p.trackingNumber)) {
      throw new FulfilmentError("duplicate_tracking_number", "validation_error", `Tracking number '${p.trackingNumber}' appears twice; each parcel has its own.`, `parcels[${i}].tracking_number`);
    }
    seen.set(p.trackingNumber, i);
  });

  // Reserved units of the shipped lines, consumed oldest first.
  const lineIds = plan.map((p) => p.line.id);
  const active = await tx
    .select()
    .from(allocations)
    .where(and(inArray(allocations.orderLineId, lineIds), eq(allocations.status, "active")))
    .orderBy(asc(allocations.createdAt), asc(allocations.id));
  const consumption = plan.map(({ line, quantity }) => {
    let left = quantity;
    const takes: { allocation: Allocation; quantity: number }[] = [];
    for (const allocation of active.filter((a) => a.orderLineId === line.id)) {
      if (!left) break;
      const take = Math.min(left, allocation.quantity);
      takes.push({ allocation, quantity: take });
      left -= take;
    }
    // Units not reserved (a line shipped beyond its allocation) come straight off the shelf at the order's warehouse.
    return { line, quantity, takes, unreserved: left };
  });

  const keys: StockKey[] = consumption.flatMap((c) => [
    ...c.takes.map((t) => ({ skuId: t.allocation.skuId, warehouseId: t.allocation.warehouseId })),
    ...(c.unreserved ? [{ skuId: c.line.skuId!, warehouseId }] : []),
  ]);
  const levels = await lockStock(tx, ctx, keys);
  for (const c of consumption) {
    if (!c.unreserved) continue;
    const level = levels.get(stockKey({ skuId: c.line.skuId!, warehouseId }));
    const free = level ? level.onHand - level.allocated : 0;
    if (free < c.unreserved) {
      throw new FulfilmentError(
        "insufficient_stock",
        "validation_error",
        `SKU '${c.line.sku}' has ${Math.max(0, free)} unreserved unit(s) on hand at the warehouse; ${c.unreserved} more were reported shipped.`,
        "items",
      );
    }
  }

  // The shipment row goes first: with an external id, the unique index settles a race between two reports.
  const shipmentId = newId("shp");
  const shippedAt = input.shippedAt ?? new Date();
  const [inserted] = await tx
    .insert(shipments)
    .values({
      id: shipmentId,
      accountId: ctx.accountId,
      environment: ctx.environment,
      orderId: order.id,
      warehouseId,
      status: "shipped",
      shippedAt,
      statusOccurredAt: shippedAt,
      costAmount: input.cost?.amount ?? null,
      costCurrency: input.cost?.currency ?? null,
      externalId: input.externalId ?? null,
    })
    .onConflictDoNothing({ target: [shipments.accountId, shipments.environment, shipments.externalId] })
    .returning({ id: shipments.id });
  if (!inserted) {
    const existing = await existingByExternalId(tx, ctx, input.externalId!);
    if (existing) return { shipment: existing, created: false, orderStatus: order.status };
    throw new Error(`shipment insert conflicted without an existing external id ${input.externalId}`);
  }

  await tx.insert(shipmentParcels).values(parcels.map((p, position) => ({ id: newId("prc"), shipmentId, position, ...p })));
  await tx.insert(shipmentItems).values(plan.map(({ line, quantity }) => ({ id: newId("shi"), shipmentId, orderLineId: line.id, sku: line.sku, quantity })));
  await storeShipmentDocuments(tx, [shipmentId]);

  for (const c of consumption) {
    for (const t of c.takes) {
      await moveStock(tx, ctx, {
        skuId: t.allocation.skuId,
        warehouseId: t.allocation.warehouseId,
        kind: "ship",
        delta: { onHand: -t.quantity, allocated: -t.quantity },
        refType: "shipment",
        refId: shipmentId,
        occurredAt: shippedAt,
      });
      if (t.quantity === t.allocation.quantity) {
        await tx.update(allocations).set({ status: "consumed" }).where(eq(allocations.id, t.allocation.id));
      } else {
        // Part of a reservation ships: the rest stays active, the shipped part is recorded as consumed.
        await tx.update(allocations).set({ quantity: sql`${allocations.quantity} - ${t.quantity}` }).where(eq(allocations.id, t.allocation.id));
        await tx.insert(allocations).values({
          id: newId("alc"),
          orderId: order.id,
          orderLineId: c.line.id,
          skuId: t.allocation.skuId,
          warehouseId: t.allocation.warehouseId,
          quantity: t.quantity,
          status: "consumed",
        });
      }
    }
    if (c.unreserved) {
      await moveStock(tx, ctx, {
        skuId: c.line.skuId!,
        warehouseId,
        kind: "ship",
        delta: { onHand: -c.unreserved },
        reason: "shipped_unreserved",
        refType: "shipment",
        refId: shipmentId,
        occurredAt: shippedAt,
      });
    }
    const fromReserved = c.quantity - c.unreserved;
    await tx
      .update(orderLines)
      .set({
        quantityShipped: sql`${orderLines.quantityShipped} + ${c.quantity}`,
        quantityAllocated: sql`greatest(${orderLines.quantityAllocated} - ${fromReserved}, 0)`,
        updatedAt: sql`now()`,
      })
      .where(eq(orderLines.id, c.line.id));
  }

  const shippedBy = new Map(plan.map((p) => [p.line.id, p.quantity]));
  const complete = lines.every((l) => l.quantityShipped + (shippedBy.get(l.id) ?? 0) >= l.quantity);
  const status = complete ? "shipped" : "partially_shipped";
  const units = plan.reduce((s, p) => s + p.quantity, 0);
  const tracking = parcels.map((p) => p.trackingNumber);
  await appendOrderEvent(tx, ctx, order.id, {
    type: "shipment_created",
    status,
    rawStatus: input.rawStatus ?? null,
    occurredAt: shippedAt,
    message:
      `Shipped ${units} unit(s) in ${parcels.length} parcel(s), tracking ${tracking.join(", ")} (${shipmentId}).` +
      (order.status === "received" ? " The warehouse had not reported picking it." : ""),
    data: {
      shipment_id: shipmentId,
      tracking_numbers: tracking,
      items: plan.map((p) => ({ sku: p.line.sku, quantity: p.quantity })),
      pick_reported: order.status !== "received",
      ...(input.externalId ? { external_id: input.externalId } : {}),
    },
  });
  const [shipment] = await loadShipmentsByIds(tx, [shipmentId]);
  await emitEvent(tx, ctx, "shipment.created", shipment);
  await setOrderStatus(tx, ctx, order.id, status);
  return { shipment, created: true, orderStatus: status };
}
