import type { DbOrTx } from "@/db/client";
import { outboxEvents } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
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
 */
export async function emitEvent(tx: DbOrTx, ctx: Pick<DomainContext, "accountId" | "environment">, type: EventType, data: Record<string, unknown>): Promise<string> {
  const id = newId("evt");
  await tx.insert(outboxEvents).values({ id, accountId: ctx.accountId, environment: ctx.environment, type, payload: data });
  return id;
}
