import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { allocations, inventoryLevels, operationalExceptions, orderEvents, orders } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { createSku, createTenant } from "@/lib/testing/factories";
import { createOrder } from "./create";
import { orderBody } from "./testing";

async function level(skuId: string, warehouseId: string) {
  const [row] = await getDb()
    .select()
    .from(inventoryLevels)
    .where(and(eq(inventoryLevels.skuId, skuId), eq(inventoryLevels.warehouseId, warehouseId)));
  return row;
}

describe("createOrder", () => {
  it("creates a received order, allocates every line and writes the timeline", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const { order, created } = await createOrder(getDb(), t.ctx, orderBody(t));
    expect(created).toBe(true);
    expect(order).toMatchObject({
      status: "received",
      channel: "api",
      hold_reason: null,
      warehouse_id: t.warehouses.syd,
      version: "1",
      items: [{ sku: "WIDGET", quantity: 2, quantity_shipped: 0, unit_price: "19.99", currency: "AUD" }],
      shipments: [],
    });
    expect(await level(sku.id, t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 2, backordered: 0 });
    const allocs = await getDb().select().from(allocations).where(eq(allocations.orderId, order.id));
    expect(allocs.map((a) => [a.quantity, a.status])).toEqual([[2, "active"]]);
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.map((e) => e.type).sort()).toEqual(["allocated", "received"]);
  });

  it("backorders the whole order when one line is short, allocating nothing", async () => {
    const t = await createTenant();
    const a = await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const b = await createSku(t, "GADGET", { [t.warehouses.syd]: 1 });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 2 }, { sku: "GADGET", quantity: 3 }] }));
    expect(order.status).toBe("backordered");
    expect(await level(a.id, t.warehouses.syd)).toMatchObject({ allocated: 0, backordered: 2 });
    expect(await level(b.id, t.warehouses.syd)).toMatchObject({ allocated: 0, backordered: 3 });
    expect(await getDb().select().from(allocations).where(eq(allocations.orderId, order.id))).toEqual([]);
  });

  it("rejects an unknown SKU naming its line, writing nothing", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const body = orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "NOPE", quantity: 1 }] });
    const error = await createOrder(getDb(), t.ctx, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "unknown_sku", field: "items[1].sku" });
    const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from ${orders} where ${orders.accountId} = ${t.accountId}`);
    expect(n).toBe(0);
  });

  it("routes with no rules to the first warehouse with stock, else holds with an exception", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.mel]: 5 });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined }));
    expect(order).toMatchObject({ status: "received", warehouse_id: t.warehouses.mel });
    const held = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 50 }] }));
    expect(held.order).toMatchObject({ status: "on_hold", hold_reason: "no_eligible_warehouse", warehouse_id: null });
    const exc = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, held.order.id));
    expect(exc.map((e) => [e.kind, e.status])).toEqual([["no_eligible_warehouse", "open"]]);
  });
});
