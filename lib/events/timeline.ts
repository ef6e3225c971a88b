import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement, type Placeholders } from "@/db/statement";
import { orderEvents, type OrderEvent } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import type { OrderEventObject } from "@/lib/orders/schema";
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
  await appendOrderEvents(tx, ctx, orderId, [entry]);
}

/** Appends several entries in one statement, in the order given (their ids are increasing, and so is the timeline). */
export async function appendOrderEvents(tx: DbOrTx, ctx: DomainContext, orderId: string, entries: TimelineEntry[]): Promise<void> {
  if (entries.length) await appendStatement(tx, timelineValues(ctx, orderId, entries));
}

/** What orderEventsInsert binds: the entries go in as one JSON text, so the statement text never depends on their count. */
export type TimelineValues = Pick<DomainContext, "accountId" | "environment" | "source" | "actor"> & { orderId: string; entries: string };

export function timelineValues(ctx: DomainContext, orderId: string, entries: TimelineEntry[]): TimelineValues {
  const now = new Date().toISOString();
  return {
    accountId: ctx.accountId,
    environment: ctx.environment,
    source: ctx.source,
    actor: ctx.actor,
    orderId,
    entries: JSON.stringify(
      entries.map((entry) => ({
        id: newId("oev"),
        type: entry.type,
        raw_status: entry.rawStatus ?? null,
        status: entry.status ?? null,
        message: entry.message,
        stale: entry.stale ?? false,
        data: entry.data ?? null,
        occurred_at: entry.occurredAt?.toISOString() ?? now,
      })),
    ),
  };
}

/** The insert of timeline entries, for a statement of the caller's (a CTE beside the change it describes) or alone. */
export function orderEventsInsert(p: Placeholders<TimelineValues>): SQL {
  return sql`
    insert into ${orderEvents} (id, account_id, environment, order_id, type, source, raw_status, status, message, actor, stale, data, occurred_at)
    select e.id, ${p.accountId}, ${p.environment}::environment, ${p.orderId}, e.type, ${p.source}, e.raw_status, e.status, e.message,
           ${p.actor}::text, e.stale, e.data, e.occurred_at
      from jsonb_to_recordset(${p.entries}::text::jsonb)
        as e(id text, type text, raw_status text, status text, message text, stale boolean, data jsonb, occurred_at timestamptz)`;
}

const appendStatement = statement<TimelineValues>(orderEventsInsert);

export async function getOrderTimeline(db: DbOrTx, { orderId }: { orderId: string }): Promise<OrderEvent[]> {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.recordedAt), asc(orderEvents.id));
}

/** The timeline event as the API returns it. */
export function presentOrderEvent(event: OrderEvent): OrderEventObject {
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
