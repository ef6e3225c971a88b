import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { operationalExceptions, warehouseEvents, type WarehouseEvent } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { NotFoundError } from "@/lib/errors";
import type { DomainContext, Source, Tenant } from "@/lib/context";
import { resolveRaisedExceptions } from "@/lib/exceptions/raise";
import { WAREHOUSE_EVENT_FAILED } from "@/lib/exceptions/kinds";
import { newId } from "@/lib/ids";
import { normalizeRawStatus } from "@/lib/status-mapping/rules";
import { ensureDefaultsOnce } from "@/lib/status-mapping/defaults";
import { applyWarehouseEvent } from "./apply";
import { rejectionOf, type EventOutcome, type EventState } from "./outcome";
import { parseWarehouseEvent, type WarehouseEventInput } from "./schema";

/** Raises a failed event on the exceptions queue; an unmapped status groups with every event waiting on it. */
async function raiseFailedEvent(tx: DbOrTx, event: WarehouseEvent): Promise<void> {
  const what = event.rawStatus ? `${event.source} status "${event.rawStatus}"` : `${event.source} ${event.type} event ${event.eventId}`;
  await tx.insert(operationalExceptions).values({
    id: newId("exc"),
    accountId: event.accountId,
    environment: event.environment,
    kind: WAREHOUSE_EVENT_FAILED,
    orderId: event.orderId,
    message: `A ${what} was not applied (${event.reason}): ${event.message ?? ""}`.trim(),
    data: {
      event_id: event.id,
      reason: event.reason,
      source: event.source,
      raw_status: event.rawStatus,
      ...(event.reason === "unmapped_status"
        ? { action_label: "Add the status mapping", action_href: `/status-mapping?source=${encodeURIComponent(event.source)}&raw=${encodeURIComponent(event.rawStatus ?? "")}` }
        : { action_label: "Open failed events", action_href: "/failed-events" }),
    },
  });
}

/** The answer to the reporter: what became of the event. */
export type ProcessResult =
  | { duplicate: true }
  | { duplicate: false; id: string; state: EventState; reason?: string; message?: string; shipmentId?: string | null; orderId?: string | null };

/** The timeline's source: the kind of system, whatever a given WMS calls itself. */
function sourceOf(source: string): Source {
  return source === "carrier" ? "carrier" : source === "shopify" ? "shopify" : "wms";
}

function contextFor(tenant: Tenant, event: WarehouseEventInput, actor: string, requestId?: string): DomainContext {
  return { accountId: tenant.accountId, environment: tenant.environment, source: sourceOf(event.source), actor, requestId };
}

function columnsOf(event: WarehouseEventInput) {
  return {
    eventId: event.event_id,
    source: event.source,
    type: event.type ?? "status",
    rawStatus: "status" in event ? normalizeRawStatus(event.status) : null,
    occurredAt: new Date(event.occurred_at),
  };
}

function stateColumns(outcome: EventOutcome) {
  return {
    state: outcome.state,
    reason: outcome.reason ?? null,
    message: outcome.message ?? null,
    canonicalStatus: outcome.canonicalStatus ?? null,
    orderId: outcome.orderId ?? null,
    shipmentId: outcome.shipmentId ?? null,
  };
}

/**
 * Takes one event from a warehouse, carrier or channel. In ONE transaction: the event row is inserted first —
 * its unique (account, environment, event_id) index makes any concurrent or later repeat wait and then find it,
 * so a repeat is answered `duplicate` and changes nothing — then the event is applied through the domain
 * functions and its outcome stored. An event that cannot be applied rolls back whole and is recorded as failed
 * by a separate write, with its raw payload, to be replayed once the cause is fixed.
 *
 * `payload` is the body exactly as received (kept for support and replay).
 */
export async function processWarehouseEvent(
  db: Db,
  tenant: Tenant & { actor: string; requestId?: string },
  body: unknown,
): Promise<ProcessResult> {
  const event = parseWarehouseEvent(body);
  const payload = body as Record<string, unknown>;
  await ensureDefaultsOnce(db);
  const ctx = contextFor(tenant, event, tenant.actor, tenant.requestId);
  const id = newId("whe");
  const row = { id, accountId: tenant.accountId, environment: tenant.environment, ...columnsOf(event), payload };
  try {
    return await inTransaction(db, async (tx): Promise<ProcessResult> => {
      const [inserted] = await tx
        .insert(warehouseEvents)
        .values({ ...row, state: "applied" })
        .onConflictDoNothing({ target: [warehouseEvents.accountId, warehouseEvents.environment, warehouseEvents.eventId] })
        .returning({ id: warehouseEvents.id });
      if (!inserted) return { duplicate: true };
      const outcome = await applyWarehouseEvent(tx, ctx, event);
      await tx
        .update(warehouseEvents)
        .set({ ...stateColumns(outcome), appliedAt: outcome.state === "applied" ? sql`now()` : null })
        .where(eq(warehouseEvents.id, id));
      return { duplicate: false, id, ...outcome };
    });
  } catch (error) {
    const rejected = rejectionOf(error);
    if (!rejected) throw error;
    const recorded = await inTransaction(db, async (tx) => {
      const [inserted] = await tx
        .insert(warehouseEvents)
        .values({
          ...row,
          state: "failed",
          reason: rejected.reason,
          message: rejected.message,
          canonicalStatus: rejected.refs.canonicalStatus ?? null,
          orderId: rejected.refs.orderId ?? null,
          shipmentId: rejected.refs.shipmentId ?? null,
        })
        .onConflictDoNothing({ target: [warehouseEvents.accountId, warehouseEvents.environment, warehouseEvents.eventId] })
        .returning();
      // Nothing fails silently: the failure is on the people on duty's queue, in the transaction that records it.
      if (inserted) await raiseFailedEvent(tx, inserted);
      return inserted;
    });
    // A concurrent copy of the event got in first (and succeeded): this one is the repeat.
    if (!recorded) return { duplicate: true };
    return { duplicate: false, id, state: "failed", reason: rejected.reason, message: rejected.message };
  }
}

export type ReplayResult = { replayed: boolean; event: WarehouseEvent };

/**
 * Replays a failed event after its cause was fixed (a mapping added, a SKU created). The event row is locked
 * first, so two people pressing Retry at once apply it once; an event that is no longer failed is left alone:
 * a second retry of an applied event does nothing. `actor` is who pressed Retry (kept on the timeline).
 */
export async function replayWarehouseEvent(db: Db, actor: string, id: string): Promise<ReplayResult> {
  await ensureDefaultsOnce(db);
  let result: ReplayResult | null;
  try {
    result = await inTransaction(db, async (tx): Promise<ReplayResult | null> => {
      const [row] = await tx.select().from(warehouseEvents).where(eq(warehouseEvents.id, id)).for("update");
      if (!row) return null;
      if (row.state !== "failed") return { replayed: false, event: row };
      const event = parseWarehouseEvent(row.payload);
      const outcome = await applyWarehouseEvent(tx, contextFor(row, event, actor), event);
      const [updated] = await tx
        .update(warehouseEvents)
        .set({
          ...stateColumns(outcome),
          attempts: sql`${warehouseEvents.attempts} + 1`,
          lastAttemptAt: sql`now()`,
          appliedAt: outcome.state === "applied" ? sql`now()` : null,
        })
        .where(eq(warehouseEvents.id, id))
        .returning();
      if (updated.state !== "failed") {
        await resolveRaisedExceptions(tx, { kind: WAREHOUSE_EVENT_FAILED, key: "event_id", value: id, by: actor, note: `the event was replayed (${updated.state})` });
      }
      return { replayed: true, event: updated };
    });
  } catch (error) {
    const rejected = rejectionOf(error);
    if (!rejected) throw error;
    const [updated] = await db
      .update(warehouseEvents)
      .set({ attempts: sql`${warehouseEvents.attempts} + 1`, lastAttemptAt: sql`now()`, reason: rejected.reason, message: rejected.message })
      .where(and(eq(warehouseEvents.id, id), eq(warehouseEvents.state, "failed")))
      .returning();
    if (!updated) {
      const [current] = await db.select().from(warehouseEvents).where(eq(warehouseEvents.id, id));
      return { replayed: false, event: current };
    }
    return { replayed: true, event: updated };
  }
  if (!result) throw new NotFoundError("Warehouse event", id);
  return result;
}
