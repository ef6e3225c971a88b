import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Tenant } from "@/lib/context";
import { newId } from "@/lib/ids";

export const eventTypes = [
  "shipment.created",
  "shipment.updated",
  "order.cancelled",
  "order.updated",
  "inventory.updated",
  "inbound.received",
  "inventory.adjusted",
  "return.received",
] as const;

export type EventType = (typeof eventTypes)[number];

/**
 * Records that the outside world must hear of a change. Call it inside the transaction that made the change,
 * with the resource exactly as the API presents it at this moment: the payload is frozen here.
 *
 * In the same transaction the event fans out to one webhook delivery per active endpoint of the account and
 * environment that subscribes to its type (one INSERT … SELECT on a partial index: nothing to do costs one index
 * probe). A rolled-back change therefore never sends a webhook, and a committed one always has its deliveries.
 */
export async function emitEvent(tx: DbOrTx, ctx: Tenant, type: EventType, data: Record<string, unknown>): Promise<string> {
  const id = newId("evt");
  // One statement, one round trip inside the caller's transaction. The payload goes in as text and is cast on the
  // server: a parameter typed jsonb would be JSON-encoded a second time by the driver (a JSON string, not an object).
  await tx.execute(sql`
    with event as (
      insert into outbox_events (id, account_id, environment, type, payload)
      values (${id}, ${ctx.accountId}, ${ctx.environment}, ${type}, ${JSON.stringify(data)}::text::jsonb)
    )
    insert into webhook_deliveries (id, account_id, environment, endpoint_id, event_id, event_type)
    select 'whd_' || replace(gen_random_uuid()::text, '-', ''), e.account_id, e.environment, e.id, ${id}, ${type}
      from webhook_endpoints e
     where e.account_id = ${ctx.accountId} and e.environment = ${ctx.environment}
       and e.status = 'active' and e.deleted_at is null and ${type} = any(e.events)`);
  return id;
}
