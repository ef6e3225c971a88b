import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orderLines, orders } from "@/db/schema";
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
 * changes; unmapped SKU: after the intake has rewritten the lines to mapped SKUs). A line still without a SKU
 * keeps the order on hold (placement null). Only on_hold orders can be released.
 */
export async function releaseHold(db: DbOrTx, ctx: DomainContext, id: string): Promise<HoldRelease> {
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
    const result = await placeOrder(tx, ctx, order, lines, { route: !order.warehouseId, bumpVersion: false });
    if (result.status !== "on_hold") await emitEvent(tx, ctx, "order.updated", await loadOrder(tx, ctx, order.id));
    return result;
  });
  return { order: await loadOrder(db, ctx, id), placement };
}
