import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orderEvents, type OrderEvent } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";

export type TimelineEntry = {
  type: string;
  message: string;
  rawStatus?: string | null;
  status?: string | null;
  occurredAt?: Date;
  stale?: boolean;
  data?: Record<string, unknown>;
};

/** Appends to an order's timeline. Call it inside the transaction that made the change it describes. */
export async function appendOrderEvent(tx: DbOrTx, ctx: DomainContext, orderId: string, entry: TimelineEntry): Promise<void> {
  await tx.insert(orderEvents).values({
    id: newId("oev"),
    accountId: ctx.accountId,
    environment: ctx.environment,
    orderId,
    type: entry.type,
    source: ctx.source,
    rawStatus: entry.rawStatus ?? null,
    status: entry.status ?? null,
    message: entry.message,
    actor: ctx.actor,
    stale: entry.stale ?? false,
    data: entry.data ?? null,
    occurredAt: entry.occurredAt ?? new Date(),
  });
}

export async function getOrderTimeline(db: DbOrTx, { orderId }: { orderId: string }): Promise<OrderEvent[]> {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.recordedAt), asc(orderEvents.id));
}

/** The timeline event as the API returns it. */
export function presentOrderEvent(event: OrderEvent) {
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    raw_status: event.rawStatus,
    status: event.status,
    message: event.message,
    actor: event.actor,
    stale: event.stale,
    occurred_at: event.occurredAt.toISOString(),
    recorded_at: event.recordedAt.toISOString(),
  };
}
