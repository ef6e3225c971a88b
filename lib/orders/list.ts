import { and, asc, eq, gt } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, orderEvents, orders, type Order } from "@/db/schema";
import { changesOrder, changesValues, changesWhere, cursorTimestamp, decodeIdCursor, encodeCursor, paginate, horizonFor, type FeedReader, type Pagination } from "@/lib/api/pagination";
import type { DomainContext, Tenant } from "@/lib/context";
import { presentOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { findOrderRow, presentOrderRows } from "./present";
import type { OrderEventObject, OrderObject } from "./schema";
import { NotFoundError } from "@/lib/errors";

export type OrderListQuery = {
  limit: number;
  cursor?: string;
  updated_since?: string;
  status?: Order["status"];
  order_number?: string;
  reference?: string;
};

/**
 * The tenant's orders by updated_at, then id, with the commit-safe horizon (lib/api/pagination.ts): a change
 * whose transaction is still open holds back everything stamped after it began, so a poller never skips it.
 */
export async function listOrders(db: DbOrTx, ctx: FeedReader, query: OrderListQuery): Promise<{ data: OrderObject[]; pagination: Pagination }> {
  const horizon = await horizonFor(db, ctx);
  const rows = await db
    .select({ order: orders, ts: cursorTimestamp(orders.updatedAt) })
    .from(orders)
    .where(
      changesWhere(orders, changesValues(ctx, { cursor: query.cursor, updatedSince: query.updated_since }, horizon), [
        query.status ? eq(orders.status, query.status) : undefined,
        query.order_number ? eq(orders.orderNumber, query.order_number) : undefined,
        query.reference ? eq(orders.reference, query.reference) : undefined,
      ]),
    )
    .orderBy(...changesOrder(orders))
    .limit(query.limit + 1);
  const { page, pagination } = paginate(rows, query.limit, (r) => ({ ts: r.ts, id: r.order.id }));
  return { data: await presentOrderRows(db, page.map((r) => r.order)), pagination };
}

/** An order's timeline, oldest first, paged by event id (ids are time-ordered). */
export async function listOrderEvents(
  db: DbOrTx,
  ctx: Tenant,
  orderId: string,
  query: { limit: number; cursor?: string },
): Promise<{ data: OrderEventObject[]; pagination: Pagination }> {
  if (!(await findOrderRow(db, ctx, orderId))) throw new NotFoundError("Order", orderId);
  const after = decodeIdCursor(query.cursor);
  const rows = await db
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.accountId, ctx.accountId), after ? gt(orderEvents.id, after) : undefined))
    .orderBy(asc(orderEvents.id))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  return {
    data: page.map(presentOrderEvent),
    pagination: { next_cursor: hasMore ? encodeCursor({ ts: "", id: page[page.length - 1].id }) : null, has_more: hasMore },
  };
}

/** A note on the order's timeline from the partner, attributed to its account. Returns the event. */
export async function addOrderNote(db: DbOrTx, ctx: DomainContext, orderId: string, message: string): Promise<OrderEventObject> {
  if (!(await findOrderRow(db, ctx, orderId))) throw new NotFoundError("Order", orderId);
  const [account] = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, ctx.accountId));
  const actor = account?.name ?? ctx.actor;
  // Inserted here rather than through appendOrderEvent because the answer is the event itself (201 with it).
  const [row] = await db
    .insert(orderEvents)
    .values({
      id: newId("oev"),
      accountId: ctx.accountId,
      environment: ctx.environment,
      orderId,
      type: "note",
      source: ctx.source,
      message,
      actor,
      occurredAt: new Date(),
    })
    .returning();
  return presentOrderEvent(row);
}
