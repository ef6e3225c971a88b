import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders, returnItems, returns, type Return, type ReturnItem } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { changesPage, type FeedReader, type Pagination } from "@/lib/api/pagination";
import type { Tenant } from "@/lib/context";
import type { ReturnObject } from "./schema";

/** The return as the API returns it (guide §5c). */
export function presentReturn(row: Return, orderNumber: string, items: ReturnItem[]): ReturnObject {
  const sorted = [...items].sort((a, b) => a.position - b.position);
  const expected = sorted.filter((i) => i.kind === "expected");
  const received = sorted.filter((i) => i.kind === "received");
  return {
    id: row.id,
    order_id: row.orderId,
    order_number: orderNumber,
    rma: row.rma,
    status: row.status,
    warehouse_id: row.warehouseId,
    received_at: row.receivedAt?.toISOString() ?? null,
    processed_at: row.processedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    items:
      row.status === "expected"
        ? expected.map((i) => ({ sku: i.sku, quantity: i.quantity, condition: null, restocked: false }))
        : received.map((i) => ({ sku: i.sku, quantity: i.quantity, condition: i.condition, restocked: i.restocked })),
    expected_items: expected.map((i) => ({ sku: i.sku, quantity: i.quantity })),
  };
}

export async function presentReturnRows(db: DbOrTx, rows: Return[]): Promise<ReturnObject[]> {
  if (!rows.length) return [];
  const [items, orderRows] = await Promise.all([
    db
      .select()
      .from(returnItems)
      .where(
        inArray(
          returnItems.returnId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(returnItems.returnId), asc(returnItems.position)),
    db
      .select({ id: orders.id, orderNumber: orders.orderNumber })
      .from(orders)
      .where(inArray(orders.id, [...new Set(rows.map((r) => r.orderId))])),
  ]);
  const numbers = new Map(orderRows.map((o) => [o.id, o.orderNumber]));
  return rows.map((r) =>
    presentReturn(
      r,
      numbers.get(r.orderId) ?? "",
      items.filter((i) => i.returnId === r.id),
    ),
  );
}

export async function loadReturn(db: DbOrTx, ctx: Tenant, id: string): Promise<ReturnObject> {
  const [row] = await db
    .select()
    .from(returns)
    .where(and(eq(returns.id, id), eq(returns.accountId, ctx.accountId), eq(returns.environment, ctx.environment)));
  if (!row) throw new NotFoundError("Return", id);
  const [presented] = await presentReturnRows(db, [row]);
  return presented;
}

export type ListReturnsQuery = { limit: number; cursor?: string; updated_since?: string; status?: Return["status"]; order_id?: string; rma?: string };

/** GET /v1/returns: by updated_at then id, commit-safe (see changesPage). */
export async function listReturns(db: DbOrTx, ctx: FeedReader, query: ListReturnsQuery): Promise<{ data: ReturnObject[]; pagination: Pagination }> {
  const t = returns;
  const { rows, pagination } = await changesPage(db, t, ctx, { limit: query.limit, cursor: query.cursor, updatedSince: query.updated_since }, [
    query.status ? eq(t.status, query.status) : undefined,
    query.order_id ? eq(t.orderId, query.order_id) : undefined,
    query.rma ? eq(t.rma, query.rma) : undefined,
  ]);
  return { data: await presentReturnRows(db, rows), pagination };
}
