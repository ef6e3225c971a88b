import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { allocations, idempotencyKeys, inventoryLevels, operationalExceptions, orderEvents, orderLines, orders } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { orderBody } from "@/e2e/support/orders";
import { DomainError } from "@/lib/errors";
import { createOrder } from "./create";
import { releaseHold } from "./hold";
import { purgeExpiredIdempotencyKeys } from "./idempotency";

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
    expect(events.map((e) => e.type).sort()).toEqual(["allocated", "received", "routed"]);
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
    expect(error).toBeInstanceOf(DomainError);
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

  it("channel intake: an unknown SKU is kept on its line and the order is held (unmapped_sku), nothing allocated", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const body = orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }, { sku: "SHOPIFY-ONLY", quantity: 1 }] });
    const { order } = await createOrder(getDb(), { ...t.ctx, source: "shopify" }, body, {
      channel: "shopify",
      unknownSkus: "hold",
      channelLines: [{ channelSku: "SHOP-W", channelLineId: "111" }, { channelSku: "SHOPIFY-ONLY", channelLineId: "222" }],
    });
    expect(order).toMatchObject({ channel: "shopify", status: "on_hold", hold_reason: "unmapped_sku", warehouse_id: null });
    expect(order.items.map((i) => i.sku)).toEqual(["WIDGET", "SHOPIFY-ONLY"]);
    const lines = await getDb().select().from(orderLines).where(eq(orderLines.orderId, order.id));
    expect(lines.map((l) => [l.skuId, l.channelSku, l.channelLineId]).sort()).toEqual([
      [null, "SHOPIFY-ONLY", "222"],
      [sku.id, "SHOP-W", "111"],
    ]);
    expect(await level(sku.id, t.warehouses.syd)).toMatchObject({ allocated: 0, backordered: 0 });
    const [exc] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(exc).toMatchObject({ kind: "unmapped_sku", status: "open", data: { skus: ["SHOPIFY-ONLY"] } });

    // Still unmapped: releasing keeps it on hold.
    expect((await releaseHold(getDb(), t.ctx, order.id)).placement).toBeNull();
    // The intake maps the line to an account SKU, then releases the hold: routed, allocated, exception resolved.
    await getDb().update(orderLines).set({ skuId: sku.id, sku: "WIDGET" }).where(and(eq(orderLines.orderId, order.id), sql`${orderLines.skuId} is null`));
    const released = await releaseHold(getDb(), t.ctx, order.id);
    expect(released.order).toMatchObject({ status: "received", hold_reason: null, warehouse_id: t.warehouses.syd, version: "2" });
    expect(await level(sku.id, t.warehouses.syd)).toMatchObject({ allocated: 2 });
    const [after] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(after.status).toBe("resolved");
  });

  it("writes no outbox event on create, and the routed event carries its reasons", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    const routed = events.find((e) => e.type === "routed");
    expect(routed?.data).toMatchObject({ warehouse_id: t.warehouses.syd, reasons: [{ rule: "default", result: "matched" }] });
    const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from outbox_events where account_id = ${t.accountId}`);
    expect(n).toBe(0);
  });

  it("purges idempotency keys past their expiry only", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }), { idempotencyKey: "fresh" });
    await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }), { idempotencyKey: "old" });
    await getDb()
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(idempotencyKeys.accountId, t.accountId), eq(idempotencyKeys.key, "old")));
    expect(await purgeExpiredIdempotencyKeys(getDb())).toBeGreaterThanOrEqual(1);
    const left = await getDb().select().from(idempotencyKeys).where(eq(idempotencyKeys.accountId, t.accountId));
    expect(left.map((k) => k.key)).toEqual(["fresh"]);
  });
});
