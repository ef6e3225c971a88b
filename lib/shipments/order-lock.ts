import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders, type Order } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { lockOrder } from "@/lib/orders/lock";
import { loadOrder } from "@/lib/orders/present";

// Every transition of an order (pick, ship, cancel, amend, shipment status) takes the order row lock FIRST and
// only then locks stock, so concurrent transitions of one order serialize and never deadlock each other.
export { lockOrder };

/** Moves the order to a new status: the version (ETag) and updated_at move with it, and partners hear of it. */
export async function setOrderStatus(tx: DbOrTx, ctx: DomainContext, orderId: string, status: Order["status"]): Promise<Order> {
  const [order] = await tx
    .update(orders)
    .set({ status, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(eq(orders.id, orderId))
    .returning();
  await emitEvent(tx, ctx, "order.updated", await loadOrder(tx, ctx, orderId));
  return order;
}

/**
 * The order embeds its shipments, so a shipment change is a change of the order's representation: its version
 * (ETag) and updated_at move so order pollers see it. Partners hear of it through shipment.updated.
 */
export async function touchOrder(tx: DbOrTx, orderId: string): Promise<void> {
  await tx
    .update(orders)
    .set({ version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(eq(orders.id, orderId));
}
