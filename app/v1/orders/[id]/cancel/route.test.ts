import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationalExceptions, orders, outboxEvents } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { orderFootprint } from "@/e2e/support/footprints";
import { stockOf } from "@/e2e/support/inventory";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { createOrder } from "@/lib/orders/create";
import { GET, POST } from "./route";

const cancel = (t: TestTenant, id: string, extra: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) =>
  call(POST, `/v1/orders/${id}/cancel`, { key: t.key, params: { id }, ...extra });

async function setup() {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
  return t;
}

describe("POST /v1/orders/{id}/cancel", () => {
  it("cancels a received order, releases its allocation and sends order.cancelled; again → 200, nothing more", async () => {
    const t = await setup();
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 3 }] }));
    const res = await cancel(t, order.id, { body: { reason: "customer changed their mind" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: "cancelled", version: "2" });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 0, backordered: 0 });
    const events = await getDb().select().from(outboxEvents).where(eq(outboxEvents.accountId, t.accountId));
    expect(events.map((e) => [e.type, (e.payload as { status: string }).status])).toEqual([["order.cancelled", "cancelled"]]);
    const before = await orderFootprint(t);
    const again = await cancel(t, order.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "cancelled", version: "2" });
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("cancels a backordered order, withdrawing its backorder counts", async () => {
    const t = await setup();
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 8 }] }));
    expect(order.status).toBe("backordered");
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 0, backordered: 8 });
    expect((await cancel(t, order.id)).body.status).toBe("cancelled");
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 0, backordered: 0 });
  });

  it("cancels an on-hold order and resolves its exception", async () => {
    const t = await setup();
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 50 }] }));
    expect(order.status).toBe("on_hold");
    expect((await cancel(t, order.id)).body).toMatchObject({ status: "cancelled", hold_reason: null });
    const [exc] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(exc.status).toBe("resolved");
  });

  it("the released units go to the oldest backordered order waiting for them", async () => {
    const t = await setup();
    const first = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 4 }] }));
    const waiting = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 3 }] }));
    expect(waiting.order.status).toBe("backordered");
    await cancel(t, first.order.id);
    const [row] = await getDb().select().from(orders).where(eq(orders.id, waiting.order.id));
    expect(row.status).toBe("received");
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 3, backordered: 0 });
  });

  const refusals = [
    { status: "processing", code: "picking_started" },
    { status: "partially_shipped", code: "already_shipped" },
    { status: "shipped", code: "already_shipped" },
  ] as const;
  it.each(refusals)("from $status → 409 $code with order_status, nothing written", async (c) => {
    const t = await setup();
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }));
    await getDb().update(orders).set({ status: c.status }).where(eq(orders.id, order.id));
    const before = await orderFootprint(t);
    const res = await cancel(t, order.id);
    expectError(res, 409, c.code);
    expect(res.body.error.order_status).toBe(c.status);
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("refuses bad bodies (unknown field, bad JSON, wrong type) and unknown orders; GET is 405", async () => {
    const t = await setup();
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }));
    const before = await orderFootprint(t);
    expectError(await cancel(t, order.id, { body: { reason: "x", force: true } }), 422, "validation_error", "force");
    expectError(await cancel(t, order.id, { rawBody: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectError(await cancel(t, order.id, { rawBody: "reason=x", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    expectError(await cancel(t, order.id, { body: { reason: 42 } }), 422, "validation_error", "reason");
    expectError(await cancel(t, "ord_missing"), 404, "not_found");
    expect(await orderFootprint(t)).toEqual(before);
    expectError(await call(GET, `/v1/orders/${order.id}/cancel`, { key: t.key, params: { id: order.id } }), 405, "method_not_allowed");
  });
});
