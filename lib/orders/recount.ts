import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { allocations, inventoryLevels, operationalExceptions, orderEvents, orderLines, orders, type Order } from "@/db/schema";
import { inTransaction, sqlState } from "@/db/transaction";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvents, type TimelineEntry } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { lockStock, moveStocks, stockKey, type LockedStock, type StockKey } from "@/lib/inventory/stock";
import { NAMED_WAREHOUSE_RULE, rerouteOrder } from "./place";
import { loadOrder } from "./present";
import { releaseOrderStock } from "./stock";

/** Exception kinds a stock count raises. */
export const STOCK_COUNT_SHORTFALL = "stock_count_shortfall";
export const COUNT_BELOW_PICKED = "count_below_picked";

/** How often a count re-plans when new allocations keep landing between its plan and its locks. */
const ATTEMPTS = 10;

/** The allocations kept moving under the count: a serialization failure, which inTransaction retries whole. */
class CountRaced extends Error {
  readonly code = "40001";
  constructor() {
    super("Allocations of the counted SKU kept changing while the count locked them.");
  }
}

/** The plan moved between its unlocked read and the locks: this attempt's savepoint is rolled back and it plans again. */
class PlanMoved extends Error {}

export type CountLock = {
  /** The counted stock row as it was, locked. */
  level: LockedStock;
  /** What the count says on_hand is. */
  target: number;
  /** Locked orders whose allocations no longer fit, newest first: the warehouse has not started any of them. */
  release: Order[];
  /** Units still allocated at the counted row once those are released: at least what is picked. */
  allocatedAfter: number;
};

type Unpicked = { order_id: string; quantity: number };

/**
 * The unpicked orders (status received) holding the SKU at the warehouse, newest first, as many as must give back
 * `excess` units — all of them when even that is not enough. Newest first: the order that came first keeps its
 * stock, as the backorder queue serves the oldest first.
 */
async function newestUnpicked(tx: DbOrTx, key: StockKey, excess: number): Promise<Unpicked[]> {
  if (excess <= 0) return [];
  return queryRows<Unpicked>(
    tx,
    sql`with unpicked as (
          select o.id as order_id, o.created_at, sum(a.quantity)::int as quantity
            from ${allocations} a join ${orders} o on o.id = a.order_id
           where a.sku_id = ${key.skuId} and a.warehouse_id = ${key.warehouseId} and a.status = 'active' and o.status = 'received'
           group by o.id, o.created_at
        ), ranked as (
          select *, sum(quantity) over (order by created_at desc, order_id desc) as through from unpicked
        )
        select order_id, quantity from ranked where through - quantity < ${excess} order by created_at desc, order_id desc`,
  );
}

/** Locks the tenant's orders that are still unpicked; the ones picked (or gone) meanwhile are left out. */
function lockUnpicked(tx: DbOrTx, ctx: DomainContext, ids: string[], wait: boolean): Promise<Order[]> {
  if (!ids.length) return Promise.resolve([]);
  const query = tx
    .select()
    .from(orders)
    .where(and(inArray(orders.id, ids), eq(orders.accountId, ctx.accountId), eq(orders.environment, ctx.environment), eq(orders.status, "received")))
    .orderBy(asc(orders.id));
  return wait ? query.for("update") : query.for("update", { noWait: true });
}

/** The stock rows the orders' active allocations hold: what releasing and backordering them moves. */
async function stockKeysHeldBy(tx: DbOrTx, orderIds: string[]): Promise<StockKey[]> {
  if (!orderIds.length) return [];
  return tx
    .selectDistinct({ skuId: allocations.skuId, warehouseId: allocations.warehouseId })
    .from(allocations)
    .where(and(inArray(allocations.orderId, orderIds), eq(allocations.status, "active")));
}

/**
 * One attempt, in its own savepoint. Locks in the order every order flow uses — order rows first, then every stock
 * row in lockStock's one sorted statement — so it cannot deadlock with order creation (which locks its stock rows
 * sorted, in one statement) nor with amend, cancel or picking (order first). The orders to lock are planned on an
 * unlocked read; once the stock rows are locked the plan is made again on the locked numbers. An order allocated in
 * between is locked without waiting (NOWAIT: never a wait that could close a cycle) if it holds no other stock row;
 * anything else means the plan moved, and the attempt is rolled back (its locks with it) to plan again.
 */
async function lockAttempt(tx: Tx, ctx: DomainContext, key: StockKey, targetOf: (level: LockedStock) => number): Promise<CountLock> {
  const [current] = await tx
    .select()
    .from(inventoryLevels)
    .where(and(eq(inventoryLevels.skuId, key.skuId), eq(inventoryLevels.warehouseId, key.warehouseId)));
  const guess = current ? await newestUnpicked(tx, key, current.allocated - targetOf({ ...key, ...current })) : [];
  const locked = new Map((await lockUnpicked(tx, ctx, guess.map((g) => g.order_id), true)).map((o) => [o.id, o]));
  const levels = await lockStock(tx, ctx, [key, ...(await stockKeysHeldBy(tx, [...locked.keys()]))]);
  const level = levels.get(stockKey(key))!;
  const target = targetOf(level);
  const release = target < 0 ? [] : await newestUnpicked(tx, key, level.allocated - target);

  const missing = release.filter((r) => !locked.has(r.order_id)).map((r) => r.order_id);
  if (missing.length) {
    const late = await lockUnpicked(tx, ctx, missing, false);
    if (late.length !== missing.length) throw new PlanMoved();
    for (const order of late) locked.set(order.id, order);
    if ((await stockKeysHeldBy(tx, missing)).some((k) => !levels.has(stockKey(k)))) throw new PlanMoved();
  }
  const released = release.reduce((n, r) => n + r.quantity, 0);
  return { level, target, release: release.map((r) => locked.get(r.order_id)!), allocatedAfter: level.allocated - released };
}

/**
 * Locks what a physical count of one SKU at one warehouse may change, and plans what no longer fits: the counted
 * stock row, the unpicked orders whose allocations must be released (newest first, until what stays allocated
 * fits the count, or all of them), and every stock row those orders hold. `targetOf` turns the locked row into the
 * counted on_hand (a delta is relative to it). Picked units are never planned back: what the warehouse has
 * started stays allocated, even above the count.
 */
export async function lockForCount(tx: DbOrTx, ctx: DomainContext, key: StockKey, targetOf: (level: LockedStock) => number): Promise<CountLock> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(tx, (sp) => lockAttempt(sp, ctx, key, targetOf));
    } catch (error) {
      // 55P03 lock_not_available: an order allocated meanwhile is being changed by its own flow right now.
      if (!(error instanceof PlanMoved) && sqlState(error) !== "55P03") throw error;
      if (attempt >= ATTEMPTS) throw new CountRaced();
    }
  }
}

/** Releases the allocations of the planned orders (allocated falls). Returns the stock rows whose available units rose. */
export async function releaseForCount(tx: DbOrTx, ctx: DomainContext, release: Order[]): Promise<StockKey[]> {
  const freed = new Map<string, StockKey>();
  for (const order of release) for (const k of await releaseOrderStock(tx, ctx, order)) freed.set(stockKey(k), k);
  return [...freed.values()];
}

export type CountFacts = {
  key: StockKey;
  sku: string;
  warehouseName: string;
  counted: number;
  /** Allocated at the counted row before the count. */
  allocated: number;
  adjustmentId: string | null;
};

/** Orders whose partner named the warehouse at creation: routing rules were not applied to them, and are not now. */
async function namedWarehouseOrders(tx: DbOrTx, orderIds: string[]): Promise<Set<string>> {
  if (!orderIds.length) return new Set();
  const rows = await tx
    .selectDistinct({ orderId: orderEvents.orderId })
    .from(orderEvents)
    .where(
      and(
        inArray(orderEvents.orderId, orderIds),
        eq(orderEvents.type, "routed"),
        sql`${orderEvents.data} -> 'reasons' @> ${JSON.stringify([{ rule: NAMED_WAREHOUSE_RULE }])}::jsonb`,
      ),
    );
  return new Set(rows.map((r) => r.orderId));
}

/**
 * Finds a new place for each order whose allocation the count released (oldest first, so the oldest has the first
 * pick of another warehouse's stock). An order the routing rules placed is routed again, away from the counted
 * warehouse; when another warehouse can take it whole it is allocated there. Otherwise — and always when the
 * partner named the warehouse — it is backordered where it is: its lines count as backordered and it waits in the
 * queue that releaseBackorders serves first-come-first-served (never re-allocated here ahead of older backorders).
 * Each order gets its timeline, an exception and order.updated, as every status change does.
 */
export async function rehomeAfterCount(tx: DbOrTx, ctx: DomainContext, released: Order[], facts: CountFacts): Promise<{ backordered: string[]; rerouted: string[] }> {
  const outcome = { backordered: [] as string[], rerouted: [] as string[] };
  const oldestFirst = [...released].reverse();
  const named = await namedWarehouseOrders(tx, oldestFirst.map((o) => o.id));
  const finding = `stock count at ${facts.warehouseName} found ${facts.counted} × ${facts.sku} where ${facts.allocated} were allocated`;
  const data = { sku: facts.sku, warehouse_id: facts.key.warehouseId, counted: facts.counted, allocated: facts.allocated, adjustment_id: facts.adjustmentId };
  for (const order of oldestFirst) {
    const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
    const releasedEntry: TimelineEntry = {
      type: "allocation_released",
      message: `A ${finding}: this order's allocation was released (the newest unpicked orders give theirs back first).`,
      data,
    };
    let result: string;
    const rerouted = named.has(order.id)
      ? null
      : await rerouteOrder(tx, ctx, order, lines, {
          leaving: { warehouseId: facts.key.warehouseId, why: `its stock of ${facts.sku} was just counted short` },
          events: [releasedEntry],
        });
    if (rerouted?.warehouseId) {
      outcome.rerouted.push(order.id);
      result = `it was re-routed to ${rerouted.warehouseName} and allocated there`;
    } else {
      outcome.backordered.push(order.id);
      const why = rerouted ? ` No other warehouse can take it: ${rerouted.decision}` : " The partner named this warehouse, so it is not re-routed.";
      await backorderInPlace(tx, ctx, order, lines, [
        releasedEntry,
        {
          type: "backordered",
          status: "backordered",
          message: `Backordered at ${facts.warehouseName}: it will be allocated first-come-first-served when stock arrives.${why}`,
          data: { reason: "stock_count", ...data },
        },
      ]);
      result = "it is backordered until stock arrives";
    }
    await tx.insert(operationalExceptions).values({
      id: newId("exc"),
      accountId: ctx.accountId,
      environment: ctx.environment,
      kind: STOCK_COUNT_SHORTFALL,
      orderId: order.id,
      message: `Order ${order.orderNumber}: a ${finding}; its allocation was released and ${result}.`,
      data: { ...data, outcome: rerouted?.warehouseId ? "rerouted" : "backordered", ...(rerouted?.warehouseId ? { rerouted_to: rerouted.warehouseId } : {}) },
    });
    await emitEvent(tx, ctx, "order.updated", await loadOrder(tx, ctx, order.id));
  }
  return outcome;
}

/** The order (its allocations already released) waits at its warehouse: every line counts as backordered there. */
async function backorderInPlace(tx: DbOrTx, ctx: DomainContext, order: Order, lines: (typeof orderLines.$inferSelect)[], entries: TimelineEntry[]): Promise<void> {
  const warehouseId = order.warehouseId as string;
  const ref = { refType: "order", refId: order.id };
  await moveStocks(
    tx,
    ctx,
    lines.flatMap((line) => (line.skuId ? [{ skuId: line.skuId, warehouseId, kind: "backorder" as const, delta: { backordered: line.quantity }, ...ref }] : [])),
  );
  await tx
    .update(orders)
    .set({ status: "backordered", version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  await appendOrderEvents(tx, ctx, order.id, entries);
}

/**
 * Picked units alone exceed the count: they are not taken back (the warehouse holds them for orders in progress), so
 * on_hand stays at what is picked until they ship, and a human checks the count against the picks.
 */
export async function raiseCountBelowPicked(tx: DbOrTx, ctx: DomainContext, facts: CountFacts & { picked: number }): Promise<void> {
  await tx.insert(operationalExceptions).values({
    id: newId("exc"),
    accountId: ctx.accountId,
    environment: ctx.environment,
    kind: COUNT_BELOW_PICKED,
    message:
      `A stock count at ${facts.warehouseName} found ${facts.counted} × ${facts.sku}, but ${facts.picked} unit(s) are picked for orders in progress: ` +
      `picked units are not taken back, so on_hand stays at ${facts.picked} until they ship. Check the count against the picks.`,
    data: { sku: facts.sku, sku_id: facts.key.skuId, warehouse_id: facts.key.warehouseId, counted: facts.counted, picked: facts.picked, adjustment_id: facts.adjustmentId },
  });
}
