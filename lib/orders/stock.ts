import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { allocations, orderLines, type Order, type OrderLine } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { availableOf, lockStock, moveStocks, stockKey, type LockedStock, type StockKey } from "@/lib/inventory/stock";

type StockLine = Pick<OrderLine, "id" | "skuId" | "quantity">;

export type Reservation = { status: "received" } | { status: "backordered"; short: { skuId: string; needed: number; available: number }[] };

/** The stock rows an order's lines reserve at a warehouse: what reserveOrder locks. */
export function stockKeysOf(lines: Pick<StockLine, "skuId">[], warehouseId: string): StockKey[] {
  return [...new Set(lines.flatMap((l) => (l.skuId === null ? [] : [l.skuId])))].map((skuId) => ({ skuId, warehouseId }));
}

const allocateLines = statement<{ orderId: string; warehouseId: string; reserved: string }>(
  (p) => sql`
    with allocated as (
      insert into ${allocations} (id, order_id, order_line_id, sku_id, warehouse_id, quantity)
      select a.id, ${p.orderId}, a.line_id, a.sku_id, ${p.warehouseId}, a.quantity
        from jsonb_to_recordset(${p.reserved}::text::jsonb) as a(id text, line_id text, sku_id text, quantity int)
      returning order_line_id
    )
    update ${orderLines} set quantity_allocated = quantity, updated_at = now() where id in (select order_line_id from allocated)`,
);

/**
 * Reserves the whole order at one warehouse, or none of it. Locks the stock rows first (lockStock's fixed
 * order), decides on the locked numbers, then moves: allocated rises by every line when all fit; otherwise
 * nothing is allocated and every line's quantity counts as backordered there (spec §2, §9).
 * The lines must already exist (allocations reference them). With onShort "none" a shortfall changes nothing.
 */
export async function reserveOrder(
  tx: DbOrTx,
  ctx: DomainContext,
  orderId: string,
  lines: StockLine[],
  warehouseId: string,
  options: {
    onShort: "backorder" | "none";
    /** The rows of stockKeysOf(lines, warehouseId), locked by the caller in an earlier round trip of its own. */
    locked?: Promise<Map<string, LockedStock>>;
    /** A statement of the caller's that follows from the outcome, sent in the same round trip as the stock moves. */
    alongside?: (reservation: Reservation) => PromiseLike<unknown>;
  },
): Promise<Reservation> {
  const stocked = lines.filter((l): l is StockLine & { skuId: string } => l.skuId !== null);
  const needed = new Map<string, number>();
  for (const line of stocked) needed.set(line.skuId, (needed.get(line.skuId) ?? 0) + line.quantity);
  const levels = await (options.locked ?? lockStock(tx, ctx, stockKeysOf(lines, warehouseId)));
  const short: { skuId: string; needed: number; available: number }[] = [];
  for (const [skuId, quantity] of needed) {
    const level = levels.get(stockKey({ skuId, warehouseId }));
    const available = level ? availableOf(level) : 0;
    if (available < quantity) short.push({ skuId, needed: quantity, available });
  }
  const ref = { refType: "order", refId: orderId };
  if (short.length) {
    // "none": the caller (routing) will try another warehouse; the locks taken here are harmless.
    const backordered: Reservation = { status: "backordered", short };
    if (options.onShort === "none") {
      await options.alongside?.(backordered);
      return backordered;
    }
    await Promise.all([
      moveStocks(tx, ctx, stocked.map((line) => ({ skuId: line.skuId, warehouseId, kind: "backorder" as const, delta: { backordered: line.quantity }, ...ref }))),
      options.alongside?.(backordered),
    ]);
    return backordered;
  }
  if (stocked.length) {
    // Independent writes, sent together: one round trip instead of three.
    const reserved = JSON.stringify(stocked.map((line) => ({ id: newId("alc"), line_id: line.id, sku_id: line.skuId, quantity: line.quantity })));
    await Promise.all([
      allocateLines(tx, { orderId, warehouseId, reserved }),
      moveStocks(tx, ctx, stocked.map((line) => ({ skuId: line.skuId, warehouseId, kind: "allocate" as const, delta: { allocated: line.quantity }, ...ref }))),
      options.alongside?.({ status: "received" }),
    ]);
  } else {
    await options.alongside?.({ status: "received" });
  }
  return { status: "received" };
}

/**
 * Gives back what an order holds: its active allocations (allocated falls) and, when it is backordered, the
 * units it counts in `backordered`. Used by cancel, by amend before re-reserving, and nowhere else.
 * Returns the stock rows whose available units rose, for the caller to release backorders there.
 */
export async function releaseOrderStock(tx: DbOrTx, ctx: DomainContext, order: Pick<Order, "id" | "status" | "warehouseId">): Promise<StockKey[]> {
  const active = await tx
    .select()
    .from(allocations)
    .where(and(eq(allocations.orderId, order.id), eq(allocations.status, "active")));
  const lines =
    order.status === "backordered" && order.warehouseId
      ? (await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id))).filter((l) => l.skuId !== null)
      : [];
  const keys = [
    ...active.map((a) => ({ skuId: a.skuId, warehouseId: a.warehouseId })),
    ...lines.map((l) => ({ skuId: l.skuId as string, warehouseId: order.warehouseId as string })),
  ];
  if (!keys.length) return [];
  await lockStock(tx, ctx, keys);
  const ref = { refType: "order", refId: order.id };
  await moveStocks(tx, ctx, [
    ...active.map((a) => ({ skuId: a.skuId, warehouseId: a.warehouseId, kind: "release" as const, delta: { allocated: -a.quantity }, ...ref })),
    ...lines.map((line) => ({
      skuId: line.skuId as string,
      warehouseId: order.warehouseId as string,
      kind: "backorder_cleared" as const,
      delta: { backordered: -line.quantity },
      ...ref,
    })),
  ]);
  if (active.length) {
    await tx.update(allocations).set({ status: "released" }).where(inArray(allocations.id, active.map((a) => a.id)));
    await tx.update(orderLines).set({ quantityAllocated: 0 }).where(eq(orderLines.orderId, order.id));
  }
  return [...new Map(active.map((a) => [stockKey(a), { skuId: a.skuId, warehouseId: a.warehouseId }])).values()];
}
