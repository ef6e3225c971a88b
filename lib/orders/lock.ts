import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders, type Order } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { Tenant } from "@/lib/context";

/**
 * Locks the tenant's order row for the rest of the transaction. Amend, cancel, backorder release and the
 * warehouse's picking all take this lock first, so they happen one after the other, never interleaved.
 */
export async function lockOrder(tx: DbOrTx, ctx: Tenant, id: string): Promise<Order> {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.accountId, ctx.accountId), eq(orders.environment, ctx.environment)))
    .for("update");
  if (!row) throw new NotFoundError("Order", id);
  return row;
}
