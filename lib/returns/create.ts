import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderLines, returnItems, returns } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError, truncate, ValidationError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { findOrderRow } from "@/lib/orders/present";
import { requestHash } from "@/lib/orders/request-hash";
import { resolveWarehouse } from "@/lib/orders/resolve";
import { loadReturn } from "./read";
import type { CreateReturnInput, ReturnObject } from "./schema";

/**
 * Authorizes a return (RMA) of units that shipped on an order. Idempotent on the RMA number like inbound
 * shipments on their reference. Nothing moves in stock until the goods arrive.
 */
export async function createReturn(db: Db, ctx: DomainContext, body: CreateReturnInput): Promise<{ created: boolean; ret: ReturnObject }> {
  const hash = requestHash(body);
  return inTransaction(db, async (tx) => {
    const order = await findOrderRow(tx, ctx, body.order_id);
    if (!order) throw new ValidationError(`order_id '${truncate(body.order_id)}' is not an order of this account.`, "order_id");
    if (order.status !== "shipped" && order.status !== "partially_shipped") {
      throw new DomainError("validation_error", `Order ${order.id} is ${order.status}; only shipped units can be returned.`, "order_id", { order_status: order.status });
    }
    const warehouseId = body.warehouse_id ?? order.warehouseId;
    if (!warehouseId) throw new DomainError("invalid_warehouse", `Order ${order.id} has no warehouse; give warehouse_id.`, "warehouse_id");
    const warehouse = await resolveWarehouse(tx, ctx, warehouseId);

    // Only what shipped can come back: each SKU must be a shipped line of the order, at most its shipped units.
    const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    const shipped = new Map<string, { skuId: string; units: number }>();
    for (const l of lines) {
      if (!l.skuId) continue;
      const s = shipped.get(l.sku) ?? { skuId: l.skuId, units: 0 };
      s.units += l.quantityShipped;
      shipped.set(l.sku, s);
    }
    const skuIds = body.items.map((item, i) => {
      const s = shipped.get(item.sku);
      if (!s || s.units === 0) throw new ValidationError(`SKU '${truncate(item.sku)}' did not ship on order ${order.id}.`, `items[${i}].sku`);
      if (item.quantity > s.units) throw new ValidationError(`Only ${s.units} unit(s) of SKU '${item.sku}' shipped on order ${order.id}.`, `items[${i}].quantity`);
      return s.skuId;
    });

    const id = newId("ret");
    const [inserted] = await tx
      .insert(returns)
      .values({ id, accountId: ctx.accountId, environment: ctx.environment, orderId: order.id, rma: body.rma, warehouseId: warehouse.id, requestHash: hash })
      .onConflictDoNothing({ target: [returns.accountId, returns.environment, returns.rma] })
      .returning({ id: returns.id });
    if (!inserted) {
      const [existing] = await tx
        .select({ id: returns.id, requestHash: returns.requestHash })
        .from(returns)
        .where(and(eq(returns.accountId, ctx.accountId), eq(returns.environment, ctx.environment), eq(returns.rma, body.rma)));
      if (existing.requestHash !== hash) {
        throw new DomainError("duplicate_reference", `A return with rma '${body.rma}' already exists with different content.`, "rma", { return_id: existing.id });
      }
      return { created: false, ret: await loadReturn(tx, ctx, existing.id) };
    }
    await tx.insert(returnItems).values(
      body.items.map((item, position) => ({ id: newId("rti"), returnId: id, kind: "expected" as const, position, skuId: skuIds[position], sku: item.sku, quantity: item.quantity })),
    );
    await appendOrderEvent(tx, ctx, order.id, {
      type: "return_authorized",
      message: `Return ${body.rma} authorized: ${body.items.map((i) => `${i.quantity} × ${i.sku}`).join(", ")}.`,
      data: { return_id: id, rma: body.rma },
    });
    return { created: true, ret: await loadReturn(tx, ctx, id) };
  });
}
