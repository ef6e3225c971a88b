import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { shipments, type Shipment } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { FulfillmentError } from "./errors";
import { lockOrder, touchOrder } from "./order-lock";
import { loadShipmentsByIds, storeShipmentDocuments } from "./present";
import type { ShipmentObject, TrackingStatus } from "./schema";

type ShipmentStatus = Shipment["status"];

/** How far along the carrier's journey a status is; exception sits outside the line. */
const progress: Record<Exclude<ShipmentStatus, "exception" | "voided">, number> = { shipped: 0, in_transit: 1, out_for_delivery: 2, delivered: 3 };

const words: Record<ShipmentStatus, string> = {
  shipped: "shipped",
  in_transit: "in transit",
  out_for_delivery: "out for delivery",
  delivered: "delivered",
  exception: "in exception (carrier problem)",
  voided: "voided",
};

/**
 * Whether `to` may follow `from`: forward along shipped → in_transit → out_for_delivery → delivered, into
 * exception from anywhere, and out of exception to any carrier status but shipped.
 */
export function canMove(from: ShipmentStatus, to: ShipmentStatus): boolean {
  if (from === "voided" || to === "voided" || to === "shipped") return false;
  if (to === "exception") return from !== "exception";
  if (from === "exception") return true;
  return progress[to] > progress[from];
}

/** The shipment of the tenant, then its order locked, then the shipment locked: the same lock order as every transition. */
async function lockShipment(tx: DbOrTx, ctx: DomainContext, shipmentId: string): Promise<Shipment> {
  const scope = and(eq(shipments.id, shipmentId), eq(shipments.accountId, ctx.accountId), eq(shipments.environment, ctx.environment));
  const [found] = await tx.select({ orderId: shipments.orderId }).from(shipments).where(scope);
  if (!found) throw new NotFoundError("Shipment", shipmentId);
  await lockOrder(tx, ctx, found.orderId);
  const [shipment] = await tx.select().from(shipments).where(scope).for("update");
  return shipment;
}

async function present(tx: DbOrTx, shipmentId: string): Promise<ShipmentObject> {
  const [shipment] = await loadShipmentsByIds(tx, [shipmentId]);
  return shipment;
}

export type UpdateShipmentStatusInput = {
  shipmentId: string;
  status: TrackingStatus;
  /** When the carrier saw it (default now). Older than the last applied status → recorded as stale, not applied. */
  occurredAt?: Date;
  rawStatus?: string;
};

export type UpdateShipmentStatusResult = {
  /** applied: moved; unchanged: already in that status; stale: an older report, kept on the timeline only. */
  outcome: "applied" | "unchanged" | "stale";
  shipment: ShipmentObject;
};

/**
 * A carrier status for a shipment. Reports arrive out of order: one that occurred before the status already
 * applied never rolls it back (it is recorded on the timeline, marked stale). A newer report that would move
 * backwards along the journey, or any report on a voided shipment, is refused with a FulfillmentError before
 * anything is written.
 */
export async function updateShipmentStatus(tx: DbOrTx, ctx: DomainContext, input: UpdateShipmentStatusInput): Promise<UpdateShipmentStatusResult> {
  const shipment = await lockShipment(tx, ctx, input.shipmentId);
  const occurredAt = input.occurredAt ?? new Date();
  const base = { rawStatus: input.rawStatus ?? null, occurredAt, data: { shipment_id: shipment.id, status: input.status } };

  if (shipment.voided) {
    throw new FulfillmentError("shipment_voided", "validation_error", `Shipment ${shipment.id} is voided; its status no longer changes.`, "status", {
      shipment_status: shipment.status,
    });
  }
  if (shipment.statusOccurredAt && occurredAt < shipment.statusOccurredAt) {
    await appendOrderEvent(tx, ctx, shipment.orderId, {
      ...base,
      type: "shipment_status",
      status: input.status,
      stale: true,
      message: `Out-of-order report: shipment ${shipment.id} ${words[input.status]} at ${occurredAt.toISOString()}, older than its current status (${words[shipment.status]}); not applied.`,
    });
    return { outcome: "stale", shipment: await present(tx, shipment.id) };
  }
  if (shipment.status === input.status) return { outcome: "unchanged", shipment: await present(tx, shipment.id) };
  if (!canMove(shipment.status, input.status)) {
    throw new FulfillmentError(
      "status_regression",
      "validation_error",
      `Shipment ${shipment.id} is already ${words[shipment.status]}; it cannot go back to ${words[input.status]}.`,
      "status",
      { shipment_status: shipment.status },
    );
  }

  await updateShipment(tx, shipment.id, { status: input.status, statusOccurredAt: occurredAt });
  await touchOrder(tx, shipment.orderId);
  await appendOrderEvent(tx, ctx, shipment.orderId, {
    ...base,
    type: "shipment_status",
    status: input.status,
    message: `Shipment ${shipment.id} is ${words[input.status]}.`,
  });
  const presented = await present(tx, shipment.id);
  await emitEvent(tx, ctx, "shipment.updated", presented);
  return { outcome: "applied", shipment: presented };
}

/** Changes the shipment row, moves its updated_at, and renders its document again, all in the caller's transaction. */
async function updateShipment(tx: DbOrTx, shipmentId: string, set: Pick<typeof shipments.$inferInsert, "status" | "voided" | "statusOccurredAt">): Promise<void> {
  await tx.update(shipments).set({ ...set, updatedAt: sql`now()` }).where(eq(shipments.id, shipmentId));
  await storeShipmentDocuments(tx, [shipmentId]);
}

export type VoidShipmentInput = { shipmentId: string; occurredAt?: Date; rawStatus?: string };
export type VoidShipmentResult = { outcome: "applied" | "unchanged"; shipment: ShipmentObject };

/**
 * The label was cancelled. The shipment stays listed with voided: true and status voided. Its units are NOT
 * put back in stock and the order's shipped quantities stay: the warehouse reports what it actually returns
 * to the shelf (an inventory adjustment). A delivered shipment cannot be voided.
 */
export async function voidShipment(tx: DbOrTx, ctx: DomainContext, input: VoidShipmentInput): Promise<VoidShipmentResult> {
  const shipment = await lockShipment(tx, ctx, input.shipmentId);
  if (shipment.voided) return { outcome: "unchanged", shipment: await present(tx, shipment.id) };
  if (shipment.status === "delivered") {
    throw new FulfillmentError("shipment_delivered", "validation_error", `Shipment ${shipment.id} was delivered; its label can no longer be voided.`, undefined, {
      shipment_status: shipment.status,
    });
  }
  const occurredAt = input.occurredAt ?? new Date();
  await updateShipment(tx, shipment.id, { voided: true, status: "voided", statusOccurredAt: occurredAt });
  await touchOrder(tx, shipment.orderId);
  await appendOrderEvent(tx, ctx, shipment.orderId, {
    type: "shipment_voided",
    status: "voided",
    rawStatus: input.rawStatus ?? null,
    occurredAt,
    message: `Shipment ${shipment.id} was voided (label cancelled). Its units were not restocked; the warehouse reports what goes back on the shelf.`,
    data: { shipment_id: shipment.id, previous_status: shipment.status },
  });
  const presented = await present(tx, shipment.id);
  await emitEvent(tx, ctx, "shipment.updated", presented);
  return { outcome: "applied", shipment: presented };
}
