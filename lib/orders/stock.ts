import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { allocations, orderLines, type Order, type OrderLine } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { availableOf, lockStock, moveStock, stockKey, type StockKey } from "@/lib/inventory/stock";

type StockLine = Pick<OrderLine, "id" | "skuId" | "quantity">;

export type Reservation = { status: "received" } | { status: "backordered"; short: { skuId: string; needed: number; available: number }[] };

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
  options: { onShort: "backorder" | "none" },
): Promise<Reservation> {
  const stocked = lines.filter((l): l is StockLine & { skuId: string } => l.skuId !== null);
  const needed = new Map<string, number>();
  for (const line of stocked) needed.set(line.skuId, (needed.get(line.skuId) ?? 0) + line.quantity);
  const levels = await lockStock(
    tx,
    ctx,
    [...needed.keys()].map((skuId) => ({ skuId, warehouseId })),
  );
  const short: { skuId: string; needed: number; available: number }[] = [];
  for (const [skuId, quantity] of needed) {
    const level = levels.get(stockKey({ skuId, warehouseId }));
    const available = level ? availableOf(level) : 0;
    if (available < quantity) short.push({ skuId, needed: quantity, available });
  }
  const ref = { refType: "order", refId: orderId };
  if (short.length) {
    // "none": the caller (routing) will try another warehouse; the locks taken here are harmless.
    if (options.onShort === "none") return { status: "backordered", short };
    for (const line of stocked) {
      await moveStock(tx, ctx, { skuId: line.skuId, warehouseId, kind: "backorder", delta: { backordered: line.quantity }, ...ref });
    }
    return { status: "backordered", short };
  }
  if (stocked.length) {
    await tx.insert(allocations).values(
      stocked.map((line) => ({ id: newId("alc"), orderId, orderLineId: line.id, skuId: line.skuId, warehouseId, quantity: line.quantity })),
    );
    await tx
      .update(orderLines)
      .set({ quantityAllocated: sql`${orderLines.quantity}` })
      .where(inArray(orderLines.id, stocked.map((l) => l.id)));
  }
  for (const line of stocked) {
    await moveStock(tx, ctx, { skuId: line.skuId, warehouseId, kind: "allocate", delta: { allocated: line.quantity }, ...ref });
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
  for (const a of active) {
    await moveStock(tx, ctx, { skuId: a.skuId, warehouseId: a.warehouseId, kind: "release", delta: { allocated: -a.quantity }, ...ref });
  }
  if (active.length) {
    await tx.update(allocations).set({ status: "released" }).where(inArray(allocations.id, active.map((a) => a.id)));
    await tx.update(orderLines).set({ quantityAllocated: 0 }).where(eq(orderLines.orderId, order.id));
  }
  for (const line of lines) {
    await moveStock(tx, ctx, {
      skuId: line.skuId as string,
      warehouseId: order.warehouseId as string,
      kind: "backorder_cleared",
      delta: { backordered: -line.quantity },
      ...ref,
    });
  }
  return [...new Map(active.map((a) => [stockKey(a), { skuId: a.skuId, warehouseId: a.warehouseId }])).values()];
}
