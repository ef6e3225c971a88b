import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orderLines, orders, warehouses } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { lockOrder } from "./lock";
import { placeOrder, resolveOrderExceptions, UNMAPPED_SKU, type Placement } from "./place";
import { loadOrder } from "./present";
import type { OrderObject } from "./schema";

export type HoldRelease = { order: OrderObject; placement: Placement | null };

/**
 * Tries an on-hold order again: routes it (when it has no warehouse) and reserves its stock, as on create.
 * This is the "retry" action of a hold's exception (no eligible warehouse: after stock arrives or a rule
 * changes; unmapped SKU: after the intake has rewritten the lines to mapped SKUs). With `warehouseId`, a person has
 * chosen the warehouse instead of routing. A line still without a SKU keeps the order on hold (placement null).
 * Only on_hold orders can be released.
 */
export async function releaseHold(db: DbOrTx, ctx: DomainContext, id: string, options: { warehouseId?: string } = {}): Promise<HoldRelease> {
  const placement = await inTransaction(db, async (tx) => {
    const order = await lockOrder(tx, ctx, id);
    if (order.status !== "on_hold") {
      throw new DomainError("validation_error", `Only orders on hold can be released; this one is ${order.status}.`, undefined, { order_status: order.status });
    }
    const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    const unmapped = lines.filter((l) => l.skuId === null).map((l) => l.sku);
    if (unmapped.length) {
      await appendOrderEvent(tx, ctx, order.id, {
        type: "hold_kept",
        status: "on_hold",
        message: `Still on hold: no SKU mapping for ${unmapped.join(", ")}.`,
        data: { skus: unmapped },
      });
      return null;
    }
    await tx.update(orders).set({ version: sql`${orders.version} + 1`, updatedAt: sql`now()` }).where(eq(orders.id, order.id));
    if (order.holdReason === UNMAPPED_SKU) await resolveOrderExceptions(tx, ctx, order.id, UNMAPPED_SKU, "every line is mapped");
    const chosen = options.warehouseId ? await chosenWarehouse(tx, ctx, options.warehouseId) : null;
    const result = chosen
      ? // A person chose the warehouse (the routing rules found none): its stock is reserved there, or backordered.
        await placeOrder(tx, ctx, { ...order, warehouseId: chosen.id }, lines, {
          route: false,
          bumpVersion: false,
          warehouseName: chosen.name,
          events: [{ type: "warehouse_chosen", message: `Sent to ${chosen.name} by ${ctx.actor ?? "a person"}.`, data: { warehouse_id: chosen.id } }],
        })
      : await placeOrder(tx, ctx, order, lines, { route: !order.warehouseId, bumpVersion: false });
    if (result.status !== "on_hold") await emitEvent(tx, ctx, "order.updated", await loadOrder(tx, ctx, order.id));
    return result;
  });
  return { order: await loadOrder(db, ctx, id), placement };
}

/** A warehouse of the order's environment, by id; any other id is refused at the field. */
async function chosenWarehouse(tx: DbOrTx, ctx: DomainContext, warehouseId: string): Promise<{ id: string; name: string }> {
  const [warehouse] = await tx
    .select({ id: warehouses.id, name: warehouses.name })
    .from(warehouses)
    .where(and(eq(warehouses.id, warehouseId), eq(warehouses.environment, ctx.environment)));
  if (!warehouse) throw new DomainError("invalid_warehouse", "There is no such warehouse in this order's environment.", "warehouse_id");
  return warehouse;
}
