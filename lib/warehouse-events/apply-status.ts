import { and, desc, eq, max } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { operationalExceptions, shipmentParcels, shipments, warehouseEvents, type Order, type Shipment, type StatusMapping } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { cancelOrder } from "@/lib/orders/cancel";
import { lockOrder } from "@/lib/orders/lock";
import { FulfillmentError } from "@/lib/shipments/errors";
import { startPicking } from "@/lib/shipments/pick";
import { shipmentInputFromContent, createShipment } from "@/lib/shipments/ship";
import { updateShipmentStatus, voidShipment } from "@/lib/shipments/status";
import { resolveStatus } from "@/lib/status-mapping/mappings";
import { normalizeRawStatus } from "@/lib/status-mapping/rules";
import { EventRejected, type EventOutcome } from "./outcome";
import type { StatusEvent } from "./schema";

/** How far along an order is: a report may move it forward, never back. */
const ORDER_RANK: Record<Order["status"], number> = { received: 0, backordered: 0, on_hold: 0, processing: 1, partially_shipped: 2, shipped: 3, cancelled: 4 };
const TARGET_RANK: Record<string, number> = { received: 0, processing: 1, shipped: 3 };

type Target = { order: Order; shipment?: Shipment };

function tenantScope(ctx: DomainContext) {
  return and(eq(shipments.accountId, ctx.accountId), eq(shipments.environment, ctx.environment));
}

async function shipmentById(tx: DbOrTx, ctx: DomainContext, id: string): Promise<Shipment | undefined> {
  const [row] = await tx.select().from(shipments).where(and(eq(shipments.id, id), tenantScope(ctx)));
  return row;
}

/** The newest shipment carrying the tracking number (a re-used number on a voided label loses to the live one). */
async function shipmentByTracking(tx: DbOrTx, ctx: DomainContext, trackingNumber: string): Promise<Shipment | undefined> {
  const [row] = await tx
    .select({ shipment: shipments })
    .from(shipmentParcels)
    .innerJoin(shipments, eq(shipments.id, shipmentParcels.shipmentId))
    .where(and(eq(shipmentParcels.trackingNumber, trackingNumber), tenantScope(ctx)))
    .orderBy(shipments.voided, desc(shipments.createdAt))
    .limit(1);
  return row?.shipment;
}

async function shipmentByExternalId(tx: DbOrTx, ctx: DomainContext, externalId: string): Promise<Shipment | undefined> {
  const [row] = await tx.select().from(shipments).where(and(eq(shipments.externalId, externalId), tenantScope(ctx)));
  return row;
}

/**
 * Finds what the event is about and locks its order (every transition of an order serializes on that row).
 * A shipment status names its shipment by id, tracking number or WMS shipment id, or else by the order when the
 * order has exactly one live shipment.
 */
async function resolveTarget(tx: DbOrTx, ctx: DomainContext, event: StatusEvent, mapping: StatusMapping): Promise<Target> {
  let shipment: Shipment | undefined;
  if (event.shipment_id) {
    shipment = await shipmentById(tx, ctx, event.shipment_id);
    if (!shipment) throw new EventRejected("unknown_shipment", `Shipment '${event.shipment_id}' is not a shipment of this account.`);
  } else if (event.tracking_number) {
    shipment = await shipmentByTracking(tx, ctx, event.tracking_number);
    if (!shipment) throw new EventRejected("unknown_tracking_number", `No shipment of this account carries tracking number '${event.tracking_number}'.`);
  } else if (mapping.appliesTo === "shipment" && event.shipment?.id) {
    shipment = await shipmentByExternalId(tx, ctx, event.shipment.id);
  }
  if (shipment && event.order_id && shipment.orderId !== event.order_id) {
    throw new EventRejected("shipment_order_mismatch", `Shipment ${shipment.id} belongs to order ${shipment.orderId}, not ${event.order_id}.`, { shipmentId: shipment.id });
  }
  const orderId = shipment?.orderId ?? event.order_id;
  if (!orderId) throw new EventRejected("missing_reference", "The event names no order_id, shipment_id or tracking_number.");
  let order: Order;
  try {
    order = await lockOrder(tx, ctx, orderId);
  } catch (error) {
    if (error instanceof NotFoundError) throw new EventRejected("unknown_order", `Order '${orderId}' is not an order of this account.`);
    throw error;
  }
  if (!shipment && mapping.appliesTo === "shipment") {
    const live = await tx
      .select()
      .from(shipments)
      .where(and(eq(shipments.orderId, order.id), eq(shipments.voided, false)));
    if (live.length === 0) throw new EventRejected("unknown_shipment", `Order ${order.id} has no shipment for this ${event.status} to apply to.`, { orderId: order.id });
    if (live.length > 1) {
      throw new EventRejected("ambiguous_shipment", `Order ${order.id} has ${live.length} shipments; name one with shipment_id or tracking_number.`, { orderId: order.id });
    }
    shipment = live[0];
  }
  return { order, shipment };
}

/** occurred_at of the newest event applied to the order: within one status, an older report is stale. */
async function newestAppliedAt(tx: DbOrTx, orderId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ at: max(warehouseEvents.occurredAt) })
    .from(warehouseEvents)
    .where(and(eq(warehouseEvents.orderId, orderId), eq(warehouseEvents.state, "applied")));
  return row?.at ?? null;
}

type Ctx = { tx: DbOrTx; ctx: DomainContext; event: StatusEvent; mapping: StatusMapping; raw: string; occurredAt: Date };

function refs(target: Target, mapping: StatusMapping) {
  return { canonicalStatus: mapping.canonicalStatus, orderId: target.order.id, shipmentId: target.shipment?.id ?? null };
}

async function note(c: Ctx, target: Target, entry: { type: string; message: string; stale?: boolean; status?: string | null }) {
  await appendOrderEvent(c.tx, c.ctx, target.order.id, {
    type: entry.type,
    status: entry.status ?? null,
    rawStatus: c.raw,
    occurredAt: c.occurredAt,
    stale: entry.stale,
    message: entry.message,
    data: { event_id: c.event.event_id, source: c.event.source, ...(target.shipment ? { shipment_id: target.shipment.id } : {}) },
  });
}

async function stale(c: Ctx, target: Target, why: string): Promise<EventOutcome> {
  await note(c, target, { type: "warehouse_status", status: c.mapping.canonicalStatus, stale: true, message: `Out-of-order report ${c.event.source} ${c.raw}: ${why}; not applied.` });
  return { state: "stale", reason: "out_of_order", message: why, ...refs(target, c.mapping) };
}

/** An event about an order that is already cancelled: recorded and raised for a human, never applied. */
async function flag(c: Ctx, target: Target, reason: string, message: string): Promise<EventOutcome> {
  await note(c, target, { type: "warehouse_event_flagged", message: `${c.event.source} reported ${c.raw}: ${message} Not applied; raised as an exception.` });
  await c.tx.insert(operationalExceptions).values({
    id: newId("exc"),
    accountId: c.ctx.accountId,
    environment: c.ctx.environment,
    kind: reason === "order_cancelled" ? "event_on_cancelled_order" : "event_on_voided_shipment",
    orderId: target.order.id,
    message: `${c.event.source} reported ${c.raw} (${c.event.event_id}): ${message}`,
    data: { event_id: c.event.event_id, source: c.event.source, status: c.raw, shipment_id: target.shipment?.id ?? null },
  });
  return { state: "flagged", reason, message, ...refs(target, c.mapping) };
}

async function applyOrderStatus(c: Ctx, target: Target): Promise<EventOutcome> {
  const { order } = target;
  const to = c.mapping.canonicalStatus;
  const base = refs(target, c.mapping);
  if (to === "cancelled") {
    await cancelOrder(c.tx, c.ctx, order.id, { reason: `reported by ${c.event.source} (${c.raw})` });
    return { state: "applied", ...base };
  }
  if (to === "shipped") {
    if (!c.event.shipment) throw new EventRejected("missing_shipment_payload", `${c.raw} maps to shipped: send the shipment (items, parcels) with it.`, base);
    const result = await createShipment(c.tx, c.ctx, {
      orderId: order.id,
      ...shipmentInputFromContent(c.event.shipment),
      externalId: c.event.shipment.id,
      shippedAt: c.event.shipment.shipped_at ? new Date(c.event.shipment.shipped_at) : c.occurredAt,
      rawStatus: c.raw,
    });
    if (!result.created) return { state: "duplicate", reason: "shipment_already_recorded", message: `Shipment ${c.event.shipment.id} was already recorded as ${result.shipment.id}.`, ...base, shipmentId: result.shipment.id };
    return { state: "applied", ...base, shipmentId: result.shipment.id };
  }
  // received / processing: progress reports inside the warehouse.
  const current = ORDER_RANK[order.status];
  const target_ = TARGET_RANK[to];
  if (current > target_) return stale(c, target, `order ${order.id} is already ${order.status}`);
  const newest = await newestAppliedAt(c.tx, order.id);
  if (current === target_ && newest && c.occurredAt < newest) return stale(c, target, `a newer report (${newest.toISOString()}) was already applied`);
  if (to === "processing" && order.status !== "processing") {
    await startPicking(c.tx, c.ctx, { orderId: order.id, occurredAt: c.occurredAt, rawStatus: c.raw });
  } else {
    await note(c, target, { type: "warehouse_status", status: to, message: c.mapping.customerMessage });
  }
  return { state: "applied", ...base };
}

async function applyShipmentStatus(c: Ctx, target: Target): Promise<EventOutcome> {
  const shipment = target.shipment!;
  const base = refs(target, c.mapping);
  if (c.mapping.canonicalStatus === "voided") {
    await voidShipment(c.tx, c.ctx, { shipmentId: shipment.id, occurredAt: c.occurredAt, rawStatus: c.raw });
    return { state: "applied", ...base };
  }
  if (shipment.voided) return flag(c, target, "shipment_voided", `shipment ${shipment.id} was voided, yet a carrier status arrived for it.`);
  try {
    const { outcome } = await updateShipmentStatus(c.tx, c.ctx, {
      shipmentId: shipment.id,
      status: c.mapping.canonicalStatus as Parameters<typeof updateShipmentStatus>[2]["status"],
      occurredAt: c.occurredAt,
      rawStatus: c.raw,
    });
    if (outcome === "stale") return { state: "stale", reason: "out_of_order", message: `An older report than shipment ${shipment.id}'s current status.`, ...base };
    return { state: "applied", ...base };
  } catch (error) {
    // A newer report that would move the journey backwards (delivered, then "in transit"): kept, not applied.
    if (error instanceof FulfillmentError && error.reason === "status_regression") return stale(c, target, error.message);
    throw error;
  }
}

/** A raw status event: mapped, then applied through the same domain functions the sandbox uses. */
export async function applyStatusEvent(tx: DbOrTx, ctx: DomainContext, event: StatusEvent): Promise<EventOutcome> {
  const raw = normalizeRawStatus(event.status);
  const mapping = await resolveStatus(tx, event.source, raw);
  if (!mapping) {
    throw new EventRejected("unmapped_status", `No status mapping for ${event.source} / ${raw}. Add it on the status mapping page, then replay this event.`);
  }
  const c: Ctx = { tx, ctx, event, mapping, raw, occurredAt: new Date(event.occurred_at) };
  let target: Target;
  try {
    target = await resolveTarget(tx, ctx, event, mapping);
  } catch (error) {
    // A status we ignore anyway need not find its order: a carrier's label notice for a parcel we never saw is noise.
    if (mapping.canonicalStatus === "ignore" && error instanceof EventRejected) return { state: "ignored", reason: "mapped_to_ignore", canonicalStatus: "ignore" };
    throw error;
  }

  if (target.order.status === "cancelled" && mapping.canonicalStatus !== "cancelled" && mapping.canonicalStatus !== "ignore") {
    return flag(c, target, "order_cancelled", `order ${target.order.id} is cancelled.`);
  }
  if (mapping.canonicalStatus === "ignore") {
    // Nothing changes, but support can see it happened ("label created, waiting for pickup").
    await note(c, target, { type: "warehouse_status", message: mapping.customerMessage });
    return { state: "ignored", reason: "mapped_to_ignore", ...refs(target, mapping) };
  }
  return mapping.appliesTo === "order" ? applyOrderStatus(c, target) : applyShipmentStatus(c, target);
}
