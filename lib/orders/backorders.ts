import { and, asc, eq, exists, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inTransaction, sqlState } from "@/db/transaction";
import { orderLines, orders, warehouses, type Order } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { availableOf, lockStock, moveStock, stockKey, type LockedStock, type StockKey } from "@/lib/inventory/stock";
import { resolveOrderExceptions } from "./place";
import { loadOrder } from "./present";
import { STOCK_COUNT_SHORTFALL } from "./recount";
import { reserveOrder } from "./stock";

const BATCH = 50;

/**
 * Allocates backordered orders now that units of a SKU became available at a warehouse (a receipt, an
 * adjustment, a restocked return, a cancelled order's released allocation). Call it inside the transaction
 * that raised the stock, after the raise.
 *
 * First-come-first-served: the backordered orders of the account at that warehouse that contain the SKU are
 * taken oldest first; an order is allocated only whole; the first order that cannot be fully allocated stops the
 * run, so no younger order jumps the queue. The caller already holds the risen stock row, so this never waits for
 * a lock another flow may hold while it waits for that row (cancel and amend lock the order, then its stock; a
 * count locks its orders, then its stock): an order locked by another transaction right now is being changed by
 * its own flow and is passed over (SKIP LOCKED), and the order's other stock rows are taken only if free now (see
 * lockOrderStock). Returns the ids of the orders allocated.
 */
export async function releaseBackorders(tx: DbOrTx, ctx: DomainContext, input: { skuId: string; warehouseId: string }): Promise<string[]> {
  const released: string[] = [];
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const batch: Order[] = await tx
      .select()
      .from(orders)
      .where(
        and(
          eq(orders.accountId, ctx.accountId),
          eq(orders.environment, ctx.environment),
          eq(orders.status, "backordered"),
          eq(orders.warehouseId, input.warehouseId),
          exists(
            tx
              .select({ one: sql`1` })
              .from(orderLines)
              .where(and(eq(orderLines.orderId, orders.id), eq(orderLines.skuId, input.skuId))),
          ),
          after ? sql`(${orders.createdAt}, ${orders.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id})` : undefined,
        ),
      )
      .orderBy(asc(orders.createdAt), asc(orders.id))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    for (const order of batch) {
      if (!(await allocateBackorder(tx, ctx, order, input))) return released;
      released.push(order.id);
    }
    if (batch.length < BATCH) return released;
    const last = batch[batch.length - 1];
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/**
 * The order's stock rows, locked. The caller holds the row that rose; the order's other rows may sort before it,
 * and an order being created may hold one of them while it waits for ours (creation locks its rows in the fixed
 * order). So those are taken only if free now: null when another transaction holds one — the run stops there as on
 * a shortfall, and the queue is served again at the next stock change of its SKUs.
 */
async function lockOrderStock(tx: DbOrTx, ctx: DomainContext, keys: StockKey[], risen: StockKey): Promise<Map<string, LockedStock> | null> {
  if (keys.every((k) => stockKey(k) === stockKey(risen))) return lockStock(tx, ctx, keys);
  try {
    return await inTransaction(tx, (sp) => lockStock(sp, ctx, keys, { wait: false }));
  } catch (error) {
    if (sqlState(error) === "55P03") return null; // lock_not_available
    throw error;
  }
}

/** Allocates one locked backordered order if every line fits now; false (nothing changed) otherwise. */
async function allocateBackorder(tx: DbOrTx, ctx: DomainContext, order: Order, risen: StockKey): Promise<boolean> {
  const warehouseId = order.warehouseId as string;
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
  const needed = new Map<string, number>();
  for (const line of lines) if (line.skuId) needed.set(line.skuId, (needed.get(line.skuId) ?? 0) + line.quantity);
  const levels = await lockOrderStock(
    tx,
    ctx,
    [...needed.keys()].map((skuId) => ({ skuId, warehouseId })),
    risen,
  );
  if (!levels) return false;
  for (const [skuId, quantity] of needed) {
    const level = levels.get(stockKey({ skuId, warehouseId }));
    if (!level || availableOf(level) < quantity) return false;
  }
  const ref = { refType: "order", refId: order.id };
  for (const line of lines) {
    if (!line.skuId) continue;
    await moveStock(tx, ctx, { skuId: line.skuId, warehouseId, kind: "backorder_cleared", delta: { backordered: -line.quantity }, ...ref });
  }
  // Every line fits on the locked numbers, so this reserves the whole order.
  await reserveOrder(tx, ctx, order.id, lines, warehouseId, { onShort: "none" });
  await tx
    .update(orders)
    .set({ status: "received", version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  const [warehouse] = await tx.select({ name: warehouses.name }).from(warehouses).where(eq(warehouses.id, warehouseId));
  await appendOrderEvent(tx, ctx, order.id, {
    type: "backorder_released",
    status: "received",
    message: `Stock arrived at ${warehouse?.name ?? warehouseId}: backorder allocated, order released to the warehouse.`,
  });
  // A backorder a stock count caused needs nobody any more.
  await resolveOrderExceptions(tx, ctx, order.id, STOCK_COUNT_SHORTFALL, "stock arrived and the order is allocated");
  await emitEvent(tx, ctx, "order.updated", await loadOrder(tx, ctx, order.id));
  return true;
}
