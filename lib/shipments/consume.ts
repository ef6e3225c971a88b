import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { allocations, orderLines, type Allocation, type OrderLine } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { lockStock, moveStock, stockKey, type StockKey } from "@/lib/inventory/stock";
import { FulfillmentError } from "./errors";

/** Units of one order line that ship. */
export type LinePortion = { line: OrderLine; quantity: number };

/** Where the shipped units of one line come from: its reservations, oldest first, then the shelf. */
export type LineConsumption = LinePortion & { takes: { allocation: Allocation; quantity: number }[]; unreserved: number };

/**
 * Which reserved units each shipped line consumes, with the stock rows locked. Refuses, before anything is written,
 * units shipped beyond a line's reservations that the warehouse's shelf does not hold unreserved.
 */
export async function lockStockToConsume(tx: DbOrTx, ctx: DomainContext, portions: LinePortion[], warehouseId: string): Promise<LineConsumption[]> {
  // Reserved units of the shipped lines, consumed oldest first.
  const lineIds = portions.map((p) => p.line.id);
  const active = await tx
    .select()
    .from(allocations)
    .where(and(inArray(allocations.orderLineId, lineIds), eq(allocations.status, "active")))
    .orderBy(asc(allocations.createdAt), asc(allocations.id));
  const consumption = portions.map(({ line, quantity }) => {
    let left = quantity;
    const takes: LineConsumption["takes"] = [];
    for (const allocation of active.filter((a) => a.orderLineId === line.id)) {
      if (!left) break;
      const take = Math.min(left, allocation.quantity);
      takes.push({ allocation, quantity: take });
      left -= take;
    }
    // Units not reserved (a line shipped beyond its allocation) come straight off the shelf at the order's warehouse.
    return { line, quantity, takes, unreserved: left };
  });

  const keys: StockKey[] = consumption.flatMap((c) => [
    ...c.takes.map((t) => ({ skuId: t.allocation.skuId, warehouseId: t.allocation.warehouseId })),
    ...(c.unreserved ? [{ skuId: c.line.skuId!, warehouseId }] : []),
  ]);
  const levels = await lockStock(tx, ctx, keys);
  for (const c of consumption) {
    if (!c.unreserved) continue;
    const level = levels.get(stockKey({ skuId: c.line.skuId!, warehouseId }));
    const free = level ? level.onHand - level.allocated : 0;
    if (free < c.unreserved) {
      throw new FulfillmentError(
        "insufficient_stock",
        "validation_error",
        `SKU '${c.line.sku}' has ${Math.max(0, free)} unreserved unit(s) on hand at the warehouse; ${c.unreserved} more were reported shipped.`,
        "items",
      );
    }
  }
  return consumption;
}

/**
 * The shipped units leave the stock (on_hand and allocated drop together for reserved units), their reservations
 * are consumed, and the lines' shipped quantities advance. The stock rows are those lockStockToConsume locked.
 */
export async function consumeStock(
  tx: DbOrTx,
  ctx: DomainContext,
  consumption: LineConsumption[],
  shipment: { id: string; orderId: string; warehouseId: string; shippedAt: Date },
): Promise<void> {
  for (const c of consumption) {
    for (const t of c.takes) {
      await moveStock(tx, ctx, {
        skuId: t.allocation.skuId,
        warehouseId: t.allocation.warehouseId,
        kind: "ship",
        delta: { onHand: -t.quantity, allocated: -t.quantity },
        refType: "shipment",
        refId: shipment.id,
        occurredAt: shipment.shippedAt,
      });
      if (t.quantity === t.allocation.quantity) {
        await tx.update(allocations).set({ status: "consumed" }).where(eq(allocations.id, t.allocation.id));
      } else {
        // Part of a reservation ships: the rest stays active, the shipped part is recorded as consumed.
        await tx.update(allocations).set({ quantity: sql`${allocations.quantity} - ${t.quantity}` }).where(eq(allocations.id, t.allocation.id));
        await tx.insert(allocations).values({
          id: newId("alc"),
          orderId: shipment.orderId,
          orderLineId: c.line.id,
          skuId: t.allocation.skuId,
          warehouseId: t.allocation.warehouseId,
          quantity: t.quantity,
          status: "consumed",
        });
      }
    }
    if (c.unreserved) {
      await moveStock(tx, ctx, {
        skuId: c.line.skuId!,
        warehouseId: shipment.warehouseId,
        kind: "ship",
        delta: { onHand: -c.unreserved },
        reason: "shipped_unreserved",
        refType: "shipment",
        refId: shipment.id,
        occurredAt: shipment.shippedAt,
      });
    }
    const fromReserved = c.quantity - c.unreserved;
    await tx
      .update(orderLines)
      .set({
        quantityShipped: sql`${orderLines.quantityShipped} + ${c.quantity}`,
        quantityAllocated: sql`greatest(${orderLines.quantityAllocated} - ${fromReserved}, 0)`,
        updatedAt: sql`now()`,
      })
      .where(eq(orderLines.id, c.line.id));
  }
}
