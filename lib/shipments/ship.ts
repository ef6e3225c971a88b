import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  orderLines,
  shipmentItems,
  shipmentParcels,
  shipments,
  shippingMethods,
  type Dimensions,
  type Measure,
  type NewShipmentParcel,
  type Order,
  type OrderLine,
  type ShippingMethod,
} from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { consumeStock, lockStockToConsume, type LinePortion } from "./consume";
import { FulfillmentError } from "./errors";
import { lockOrder, setOrderStatus } from "./order-lock";
import { loadShipmentsByIds, storeShipmentDocuments } from "./present";
import type { ShipmentContent, ShipmentObject } from "./schema";

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

/** Which units of which lines ship: the request checked against the lines, or every unshipped unit. */
function planItems(order: Order, lines: OrderLine[], items: CreateShipmentInput["items"]): LinePortion[] {
  const remaining = (l: OrderLine) => l.quantity - l.quantityShipped;
  if (!items) return lines.filter((l) => l.skuId && remaining(l) > 0).map((line) => ({ line, quantity: remaining(line) }));

  const wanted = new Map<string, { quantity: number; index: number }>();
  items.forEach((item, index) => {
    const linesOfSku = lines.filter((l) => l.sku === item.sku && l.skuId);
    if (!linesOfSku.length) {
      throw new FulfillmentError("unknown_item", "validation_error", `SKU '${item.sku}' is not a line of order ${order.id}.`, `items[${index}].sku`);
    }
    const total = (wanted.get(item.sku)?.quantity ?? 0) + item.quantity;
    const left = linesOfSku.reduce((sum, l) => sum + remaining(l), 0);
    if (total > left) {
      throw new FulfillmentError(
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
    throw new FulfillmentError("order_already_shipped", "already_shipped", `Order ${order.id} has shipped in full; nothing is left to ship.`, undefined, extra);
  }
  if (order.status === "received" || order.status === "processing" || order.status === "partially_shipped") {
    if (order.warehouseId) return;
  }
  throw new FulfillmentError(
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

/** What one shipment carries: the order's lines, the units of them that ship, and the parcels with tracking. */
type ShipmentPlan = {
  warehouseId: string;
  lines: OrderLine[];
  portions: LinePortion[];
  parcels: Omit<NewShipmentParcel, "id" | "shipmentId" | "position">[];
};

/**
 * Checks the report against the order and plans the shipment: the units (the request, or every unshipped unit)
 * and one parcel per tracking number, carrier and service defaulting to the order's shipping method. Writes nothing.
 */
async function planShipment(tx: DbOrTx, ctx: DomainContext, order: Order, input: CreateShipmentInput): Promise<ShipmentPlan> {
  shippableOrRefuse(order);
  const warehouseId = order.warehouseId!;

  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
  const portions = planItems(order, lines, input.items);
  if (!portions.length) {
    throw new FulfillmentError("order_already_shipped", "already_shipped", `Order ${order.id} has nothing left to ship.`, undefined, { order_status: order.status });
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
      throw new FulfillmentError("duplicate_tracking_number", "validation_error", `Tracking number '${p.trackingNumber}' appears twice; each parcel has its own.`, `parcels[${i}].tracking_number`);
    }
    seen.set(p.trackingNumber, i);
  });
  return { warehouseId, lines, portions, parcels };
}

type Recorded = { created: true; id: string; shippedAt: Date } | { created: false; shipment: ShipmentObject };

/**
 * Writes the shipment with its parcels, items and stored document, or returns the shipment a concurrent report
 * of the same external id recorded first (then nothing is written).
 */
async function recordShipment(tx: DbOrTx, ctx: DomainContext, order: Order, plan: ShipmentPlan, input: CreateShipmentInput): Promise<Recorded> {
  // The shipment row goes first: with an external id, the unique index settles a race between two reports.
  const id = newId("shp");
  const shippedAt = input.shippedAt ?? new Date();
  const [inserted] = await tx
    .insert(shipments)
    .values({
      id,
      accountId: ctx.accountId,
      environment: ctx.environment,
      orderId: order.id,
      warehouseId: plan.warehouseId,
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
    if (existing) return { created: false, shipment: existing };
    throw new Error(`shipment insert conflicted without an existing external id ${input.externalId}`);
  }

  await tx.insert(shipmentParcels).values(plan.parcels.map((p, position) => ({ id: newId("prc"), shipmentId: id, position, ...p })));
  await tx.insert(shipmentItems).values(plan.portions.map(({ line, quantity }) => ({ id: newId("shi"), shipmentId: id, orderLineId: line.id, sku: line.sku, quantity })));
  await storeShipmentDocuments(tx, [id]);
  return { created: true, id, shippedAt };
}

/** The order hears of the shipment: its timeline, shipment.created, and its new status (partially_shipped / shipped). */
async function announceShipment(
  tx: DbOrTx,
  ctx: DomainContext,
  order: Order,
  plan: ShipmentPlan,
  recorded: { id: string; shippedAt: Date },
  input: CreateShipmentInput,
): Promise<CreateShipmentResult> {
  const shippedBy = new Map(plan.portions.map((p) => [p.line.id, p.quantity]));
  const complete = plan.lines.every((l) => l.quantityShipped + (shippedBy.get(l.id) ?? 0) >= l.quantity);
  const status = complete ? "shipped" : "partially_shipped";
  const units = plan.portions.reduce((s, p) => s + p.quantity, 0);
  const tracking = plan.parcels.map((p) => p.trackingNumber);
  await appendOrderEvent(tx, ctx, order.id, {
    type: "shipment_created",
    status,
    rawStatus: input.rawStatus ?? null,
    occurredAt: recorded.shippedAt,
    message:
      `Shipped ${units} unit(s) in ${plan.parcels.length} parcel(s), tracking ${tracking.join(", ")} (${recorded.id}).` +
      (order.status === "received" ? " The warehouse had not reported picking it." : ""),
    data: {
      shipment_id: recorded.id,
      tracking_numbers: tracking,
      items: plan.portions.map((p) => ({ sku: p.line.sku, quantity: p.quantity })),
      pick_reported: order.status !== "received",
      ...(input.externalId ? { external_id: input.externalId } : {}),
    },
  });
  const [shipment] = await loadShipmentsByIds(tx, [recorded.id]);
  await emitEvent(tx, ctx, "shipment.created", shipment);
  await setOrderStatus(tx, ctx, order.id, status);
  return { shipment, created: true, orderStatus: status };
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
  const plan = await planShipment(tx, ctx, order, input);
  // Every refusal comes before the first write, so a caller may record a refused report in the same transaction.
  const consumption = await lockStockToConsume(tx, ctx, plan.portions, plan.warehouseId);
  const recorded = await recordShipment(tx, ctx, order, plan, input);
  if (!recorded.created) return { shipment: recorded.shipment, created: false, orderStatus: order.status };
  await consumeStock(tx, ctx, consumption, { id: recorded.id, orderId: order.id, warehouseId: plan.warehouseId, shippedAt: recorded.shippedAt });
  return announceShipment(tx, ctx, order, plan, recorded, input);
}
