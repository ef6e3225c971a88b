import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { orders } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { orderFootprint, outboxTypes } from "@/e2e/support/footprints";
import { stockOf } from "@/e2e/support/inventory";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { createOrder } from "@/lib/orders/create";
import { GET, PATCH, POST } from "./route";

async function setup(quantity = 2) {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
  await createSku(t, "GADGET", { [t.warehouses.syd]: 4 });
  const { order } = await createOrder(getDb(), { ...t.ctx, source: "api" }, orderBody(t, { items: [{ sku: "WIDGET", quantity }] }));
  return { t, order };
}

const get = (t: TestTenant, id: string, headers: Record<string, string> = {}) => call(GET, `/v1/orders/${id}`, { key: t.key, params: { id }, headers });
const patch = (t: TestTenant, id: string, body: unknown, headers: Record<string, string> = {}) =>
  call(PATCH, `/v1/orders/${id}`, { method: "PATCH", key: t.key, params: { id }, body, headers });

describe("GET /v1/orders/{id}", () => {
  it("returns the order with ETag \"<version>\"; If-None-Match with it answers 304", async () => {
    const { t, order } = await setup();
    const res = await get(t, order.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.body).toEqual(order);
    const cached = await get(t, order.id, { "if-none-match": '"1"' });
    expect(cached.status).toBe(304);
  });

  it("404 not_found for an unknown id; 405 for other methods", async () => {
    const { t } = await setup();
    expectError(await get(t, "ord_nope"), 404, "not_found");
    const res = await call(POST, "/v1/orders/x", { key: t.key, params: { id: "x" }, body: {} });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, PATCH");
  });
});

describe("PATCH /v1/orders/{id}", () => {
  it("replaces the line set and re-allocates in the same transaction; version bumps; order.updated is sent", async () => {
    const { t, order } = await setup(2);
    const res = await patch(t, order.id, { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "GADGET", quantity: 3 }] }, { "if-match": '"1"' });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(res.body).toMatchObject({
      status: "received",
      version: "2",
      items: [
        { sku: "WIDGET", quantity: 1, quantity_shipped: 0 },
        { sku: "GADGET", quantity: 3, quantity_shipped: 0 },
      ],
    });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 10, allocated: 1, backordered: 0 });
    expect(await stockOf(t, "GADGET", t.warehouses.syd)).toMatchObject({ onHand: 4, allocated: 3, backordered: 0 });
    const [active] = await queryRows<{ n: number }>(getDb(), sql`select coalesce(sum(quantity), 0)::int as n from allocations where order_id = ${order.id} and status = 'active'`);
    expect(active.n).toBe(4);
    expect(await outboxTypes(t)).toEqual(["order.updated"]);
  });

  it("lines beyond stock make the order backordered with nothing allocated; back within stock it is received again", async () => {
    const { t, order } = await setup(2);
    const short = await patch(t, order.id, { items: [{ sku: "GADGET", quantity: 5 }] });
    expect(short.body).toMatchObject({ status: "backordered", version: "2" });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 10, allocated: 0, backordered: 0 });
    expect(await stockOf(t, "GADGET", t.warehouses.syd)).toMatchObject({ onHand: 4, allocated: 0, backordered: 5 });
    const fits = await patch(t, order.id, { items: [{ sku: "GADGET", quantity: 4 }] });
    expect(fits.body).toMatchObject({ status: "received", version: "3" });
    expect(await stockOf(t, "GADGET", t.warehouses.syd)).toMatchObject({ onHand: 4, allocated: 4, backordered: 0 });
  });

  it("ship_to replaces the whole address; flags and method change; untouched fields stay", async () => {
    const { t, order } = await setup();
    const res = await patch(t, order.id, {
      ship_to: { address1: "456 New Street", city: "Sydney", postcode: "2010", country: "AU" },
      shipping_method_id: t.shippingMethods.parcel,
      signature_required: true,
      gift_message: "Enjoy",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ship_to: { name: null, address1: "456 New Street", address2: null, city: "Sydney", state: null, postcode: "2010", country: "AU" },
      shipping_method_id: t.shippingMethods.parcel,
      signature_required: true,
      gift_message: "Enjoy",
      packing_note: null,
      items: order.items,
      version: "2",
    });
  });

  it("If-Match accepts W/\"n\", a bare n and *", async () => {
    const { t, order } = await setup();
    expect((await patch(t, order.id, { packing_note: "a" }, { "if-match": 'W/"1"' })).body.version).toBe("2");
    expect((await patch(t, order.id, { packing_note: "b" }, { "if-match": "2" })).body.version).toBe("3");
    expect((await patch(t, order.id, { packing_note: "c" }, { "if-match": "*" })).body.version).toBe("4");
  });

  it("an empty body changes nothing and answers the order as it is", async () => {
    const { t, order } = await setup();
    const before = await orderFootprint(t);
    const res = await patch(t, order.id, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual(order);
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("re-routes an order on hold for lack of a warehouse when its lines change", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.mel]: 3 });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 9 }] }));
    expect(order.status).toBe("on_hold");
    const res = await patch(t, order.id, { items: [{ sku: "WIDGET", quantity: 3 }] });
    expect(res.body).toMatchObject({ status: "received", hold_reason: null, warehouse_id: t.warehouses.mel });
    const [exc] = await queryRows<{ status: string }>(getDb(), sql`select status from operational_exceptions where order_id = ${order.id}`);
    expect(exc.status).toBe("resolved");
  });

  const refusals: {
    name: string;
    body: unknown;
    headers?: Record<string, string>;
    status: number;
    code: string;
    field?: string;
    orderStatus?: string;
    setStatus?: "processing" | "shipped" | "partially_shipped" | "cancelled";
  }[] = [
    { name: "stale If-Match", body: { packing_note: "x" }, headers: { "if-match": '"7"' }, status: 409, code: "version_conflict" },
    { name: "warehouse_id in the body", body: { warehouse_id: "wh_other" }, status: 422, code: "warehouse_change_not_allowed", field: "warehouse_id" },
    { name: "processing", body: { packing_note: "x" }, status: 409, code: "too_late_to_amend", orderStatus: "processing", setStatus: "processing" },
    { name: "shipped", body: { packing_note: "x" }, status: 409, code: "too_late_to_amend", orderStatus: "shipped", setStatus: "shipped" },
    { name: "partially shipped", body: { packing_note: "x" }, status: 409, code: "too_late_to_amend", orderStatus: "partially_shipped", setStatus: "partially_shipped" },
    { name: "cancelled", body: { packing_note: "x" }, status: 409, code: "too_late_to_amend", orderStatus: "cancelled", setStatus: "cancelled" },
    { name: "unknown SKU", body: { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "NOPE", quantity: 1 }] }, status: 422, code: "unknown_sku", field: "items[1].sku" },
    { name: "fractional quantity", body: { items: [{ sku: "WIDGET", quantity: 0.5 }] }, status: 422, code: "validation_error", field: "items[0].quantity" },
    { name: "negative quantity", body: { items: [{ sku: "WIDGET", quantity: -2 }] }, status: 422, code: "validation_error", field: "items[0].quantity" },
    { name: "empty items", body: { items: [] }, status: 422, code: "validation_error", field: "items" },
    { name: "unknown method", body: { shipping_method_id: "sm_nope" }, status: 422, code: "invalid_shipping_method", field: "shipping_method_id" },
    { name: "reference is not amendable", body: { reference: "NEW" }, status: 422, code: "validation_error", field: "reference" },
    { name: "NUL in packing_note", body: { packing_note: "a\u0000b" }, status: 422, code: "validation_error", field: "packing_note" },
    { name: "bad country", body: { ship_to: { address1: "1 St", city: "X", country: "aus" } }, status: 422, code: "validation_error", field: "ship_to.country" },
  ];
  it.each(refusals)("$name → $status $code, nothing written", async (c) => {
    const { t, order } = await setup();
    if (c.setStatus) await getDb().update(orders).set({ status: c.setStatus }).where(eq(orders.id, order.id));
    const before = await orderFootprint(t);
    const res = await patch(t, order.id, c.body, c.headers);
    expectError(res, c.status, c.code, c.field);
    if (c.orderStatus) expect(res.body.error.order_status).toBe(c.orderStatus);
    if (c.code === "version_conflict") expect(res.body.error.current_version).toBe("1");
    expect(await orderFootprint(t)).toEqual(before);
    const [row] = await getDb().select().from(orders).where(eq(orders.id, order.id));
    expect(row.version).toBe(1);
  });

  it("bad JSON (400), wrong content type (415) and oversized bodies (413) change nothing", async () => {
    const { t, order } = await setup();
    const before = await orderFootprint(t);
    const raw = (rawBody: string, type = "application/json") =>
      call(PATCH, `/v1/orders/${order.id}`, { method: "PATCH", key: t.key, params: { id: order.id }, rawBody, headers: { "content-type": type } });
    expectError(await raw("{"), 400, "invalid_json");
    expectError(await raw("{}", "text/plain"), 415, "unsupported_media_type");
    expectError(await raw(JSON.stringify({ packing_note: "x".repeat(1_100_000) })), 413, "payload_too_large");
    expect(await orderFootprint(t)).toEqual(before);
  });
});
