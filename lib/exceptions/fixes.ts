import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { operationalExceptions, type OperationalException } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { retryDelivery } from "@/lib/channels/shopify/process";
import { retryDeadPush } from "@/lib/channels/shopify/push/dead-letters";
import { DomainError } from "@/lib/errors";
import { appendOrderEvent } from "@/lib/events/timeline";
import { releaseHold } from "@/lib/orders/hold";
import { replayWarehouseEvent } from "@/lib/warehouse-events/process";
import { replayDelivery } from "@/lib/webhooks/operations";
import { fixOf, FIX_LABELS } from "./kinds";
import { lockTargets, type Actor, type RowOutcome, type TriageResult } from "./triage";

type Fixed = { fixed: boolean; message: string };

/** Runs the kind's own fix for one exception, through the verb the page owning that thing uses. */
async function fixOne(tx: Tx, actor: Actor, x: OperationalException, warehouseId: string | undefined): Promise<Fixed> {
  const data = x.data ?? {};
  const ref = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
  const closeWith = async (note: string) => {
    await tx
      .update(operationalExceptions)
      .set({ status: "resolved", resolvedAt: sql`now()`, resolvedBy: actor.email, resolutionNote: note, updatedAt: sql`now()` })
      .where(and(eq(operationalExceptions.id, x.id), eq(operationalExceptions.status, "open")));
    if (x.orderId) {
      await appendOrderEvent(tx, { accountId: x.accountId, environment: x.environment, source: "dashboard", actor: actor.email }, x.orderId, {
        type: "exception_resolved",
        message: `Exception resolved by ${actor.email}: ${note}.`,
        data: { exception_id: x.id, kind: x.kind },
      });
    }
  };
  switch (fixOf(x.kind)) {
    case "retry_push": {
      const pushId = ref("push_id");
      if (!pushId) return { fixed: false, message: "This exception does not name its push; retry it from Channel failures." };
      // retryDeadPush closes the order's push exception and writes the timeline line itself.
      const retried = await retryDeadPush(tx, { kind: "fulfillment", id: pushId, actor: actor.email });
      return retried ? { fixed: true, message: "Push queued again." } : { fixed: false, message: "The push is no longer dead (already retried?)." };
    }
    case "retry_shopify_webhook": {
      const deliveryId = ref("delivery_id");
      if (!deliveryId || !(await retryDelivery(tx, deliveryId))) return { fixed: false, message: "The webhook is no longer dead (already retried?)." };
      await closeWith("the Shopify webhook was queued again");
      return { fixed: true, message: "Webhook queued again." };
    }
    case "replay_event": {
      const eventId = ref("event_id");
      if (!eventId) return { fixed: false, message: "This exception does not name its event." };
      const { event } = await replayWarehouseEvent(tx, actor.email, eventId);
      if (event.state === "failed") return { fixed: false, message: `Still failing: ${event.message ?? event.reason ?? "unknown reason"}` };
      await closeWith(`the warehouse event was replayed (${event.state})`);
      return { fixed: true, message: `Event replayed: ${event.state}.` };
    }
    case "replay_webhook": {
      const deliveryId = ref("delivery_id");
      if (!deliveryId) return { fixed: false, message: "This exception does not name its delivery." };
      await replayDelivery(tx, deliveryId);
      await closeWith("the webhook delivery was queued again");
      return { fixed: true, message: "Delivery queued again." };
    }
    case "release_hold": {
      if (!x.orderId) return { fixed: false, message: "This exception has no order to route." };
      const { placement } = await releaseHold(tx, { accountId: x.accountId, environment: x.environment, source: "dashboard", actor: actor.email }, x.orderId, { warehouseId });
      // placeOrder closes the no-warehouse exception itself when a warehouse takes the order.
      if (!placement || placement.status === "on_hold") return { fixed: false, message: "Still no warehouse can fulfil it; the order stays on hold." };
      return { fixed: true, message: placement.status === "backordered" ? "Routed, backordered at its warehouse." : "Routed and stock reserved." };
    }
    default:
      return { fixed: false, message: "This kind has no fix to run here; resolve it once handled." };
  }
}

/**
 * The kind's own fix for each selected row (retry the dead push, replay the event or delivery, route the held order
 * again, or send it to the warehouse a person chose), each member in its own savepoint: one that fails is reported and rolled back, the others stand.
 */
export async function retryExceptions(db: DbOrTx, actor: Actor, input: { ids: string[]; warehouseId?: string }): Promise<TriageResult> {
  const ids = [...new Set(input.ids)];
  return inTransaction(db, async (tx) => {
    const rows: RowOutcome[] = [];
    for (const id of ids) {
      const locked = await lockTargets(tx, id);
      if (!("members" in locked)) {
        rows.push({ id, exceptions: 0, ...locked });
        continue;
      }
      let fixed = 0;
      let last = "";
      for (const member of locked.members) {
        try {
          const result = await inTransaction(tx, (sp) => fixOne(sp, actor, member, input.warehouseId));
          if (result.fixed) fixed += 1;
          last = result.message;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          last = error.message;
        }
      }
      const n = locked.members.length;
      const label = FIX_LABELS[fixOf(locked.members[0].kind) ?? "release_hold"];
      rows.push({
        id,
        outcome: fixed ? "done" : "failed",
        exceptions: fixed,
        message: n === 1 ? last : `${label}: ${fixed} of ${n} fixed.${fixed < n ? ` Last: ${last}` : ""}`,
      });
    }
    const done = rows.filter((r) => r.outcome === "done").length;
    return { rows, done, message: rows.length === 1 ? rows[0].message : `${done} of ${rows.length} fixed.` };
  });
}
