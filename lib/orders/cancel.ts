import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { releaseBackorders } from "./backorders";
import { lockOrder } from "./lock";
import { NO_ELIGIBLE_WAREHOUSE, resolveOrderExceptions, UNMAPPED_SKU } from "./place";
import { loadOrder } from "./present";
import type { OrderObject } from "./schema";
import { STOCK_COUNT_SHORTFALL } from "./recount";
import { releaseOrderStock } from "./stock";

const CANCELLABLE = new Set(["received", "backordered", "on_hold"]);

/**
 * Cancels an order that the warehouse has not started: stock reserved for it is released (and offered to
 * backordered orders waiting for it), its backorder counts are withdrawn, partners hear `order.cancelled`.
 * Cancelling a cancelled order changes nothing and answers the order again.
 * Once picking started: 409 picking_started; once anything shipped: 409 already_shipped.
 */
export async function cancelOrder(db: DbOrTx, ctx: DomainContext, id: string, input: { reason?: string } = {}): Promise<OrderObject> {
  await inTransaction(db, async (tx) => {
    const order = await lockOrder(tx, ctx, id);
    if (order.status === "cancelled") return;
    if (order.status === "processing") {
      throw new DomainError("picking_started", "The warehouse has started picking this order; it can no longer be cancelled.", undefined, { order_status: order.status });
    }
    if (!CANCELLABLE.has(order.status)) {
      throw new DomainError("already_shipped", "This order has shipped (in part or whole); it can no longer be cancelled.", undefined, { order_status: order.status });
    }
    const freed = await releaseOrderStock(tx, ctx, order);
    await tx
      .update(orders)
      .set({ status: "cancelled", holdReason: null, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await appendOrderEvent(tx, ctx, order.id, {
      type: "cancelled",
      status: "cancelled",
      message: input.reason ? `Order cancelled: ${input.reason}` : "Order cancelled.",
      data: { previous_status: order.status, ...(input.reason ? { reason: input.reason } : {}) },
    });
    for (const kind of [NO_ELIGIBLE_WAREHOUSE, UNMAPPED_SKU, STOCK_COUNT_SHORTFALL]) await resolveOrderExceptions(tx, ctx, order.id, kind, "the order was cancelled");
    await emitEvent(tx, ctx, "order.cancelled", await loadOrder(tx, ctx, order.id));
    for (const key of freed) await releaseBackorders(tx, ctx, key);
  });
  return loadOrder(db, ctx, id);
}
