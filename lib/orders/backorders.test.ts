import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orderEvents, orders, outboxEvents } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { stockOf } from "@/e2e/support/inventory";
import { orderBody } from "@/e2e/support/orders";
import { lockStock, moveStock } from "@/lib/inventory/stock";
import { releaseBackorders } from "./backorders";
import { createOrder } from "./create";

/** Stock arriving the way a receipt brings it: on_hand rises, then backorders are released in the same transaction. */
async function receive(t: TestTenant, skuId: string, warehouseId: string, units: number) {
  return getDb().transaction(async (tx) => {
    await lockStock(tx, t.ctx, [{ skuId, warehouseId }]);
    await moveStock(tx, t.ctx, { skuId, warehouseId, kind: "receive", reason: "received", delta: { onHand: units } });
    return releaseBackorders(tx, t.ctx, { skuId, warehouseId });
  });
}

async function statusOf(id: string) {
  const [row] = await getDb().select({ status: orders.status, version: orders.version }).from(orders).where(eq(orders.id, id));
  return row;
}

describe("releaseBackorders", () => {
  it("allocates backordered orders first-come-first-served, whole, stopping at the first that does not fit", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET");
    const place = async (quantity: number) => (await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity }] }))).order.id;
    const o1 = await place(2);
    const o2 = await place(1);
    const o3 = await place(1);
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 0, allocated: 0, backordered: 4 });

    // One unit: the oldest order needs two, so nobody jumps the queue.
    expect(await receive(t, sku.id, t.warehouses.syd, 1)).toEqual([]);
    expect((await statusOf(o2)).status).toBe("backordered");

    // Two more (three in all): the oldest takes two, the next one; the third still waits.
    expect(await receive(t, sku.id, t.warehouses.syd, 2)).toEqual([o1, o2]);
    expect(await statusOf(o1)).toEqual({ status: "received", version: 2 });
    expect((await statusOf(o3)).status).toBe("backordered");
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 3, allocated: 3, backordered: 1 });

    const released = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, o1), eq(orderEvents.type, "backorder_released")));
    expect(released).toHaveLength(1);
    const outbox = await getDb().select().from(outboxEvents).where(eq(outboxEvents.accountId, t.accountId)).orderBy(asc(outboxEvents.id));
    expect(outbox.map((e) => [e.type, (e.payload as { id: string; status: string }).id, (e.payload as { status: string }).status])).toEqual([
      ["order.updated", o1, "received"],
      ["order.updated", o2, "received"],
    ]);
  });

  it("allocates a multi-SKU order only when every line fits, and only at its own warehouse", async () => {
    const t = await createTenant();
    const a = await createSku(t, "A");
    const b = await createSku(t, "B");
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "A", quantity: 1 }, { sku: "B", quantity: 1 }] }));
    expect(order.status).toBe("backordered");
    expect(await receive(t, a.id, t.warehouses.mel, 5)).toEqual([]); // other warehouse: not this order's
    expect(await receive(t, a.id, t.warehouses.syd, 5)).toEqual([]); // B still missing
    expect(await stockOf(t, "A", t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 0, backordered: 1 });
    expect(await receive(t, b.id, t.warehouses.syd, 1)).toEqual([order.id]);
    expect(await stockOf(t, "A", t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 1, backordered: 0 });
    expect(await stockOf(t, "B", t.warehouses.syd)).toMatchObject({ onHand: 1, allocated: 1, backordered: 0 });
  });

  it("never touches another account's backorders", async () => {
    const mine = await createTenant();
    const theirs = await createTenant();
    const sku = await createSku(mine, "WIDGET");
    await createSku(theirs, "WIDGET");
    const their = await createOrder(getDb(), theirs.ctx, orderBody(theirs, { warehouse_id: mine.warehouses.syd, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect(await receive(mine, sku.id, mine.warehouses.syd, 10)).toEqual([]);
    expect((await statusOf(their.order.id)).status).toBe("backordered");
  });

  it("walks past a full batch of released orders", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET");
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) ids.push((await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }))).order.id);
    expect(await receive(t, sku.id, t.warehouses.syd, 54)).toEqual(ids.slice(0, 54));
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 54, allocated: 54, backordered: 1 });
  });
});
