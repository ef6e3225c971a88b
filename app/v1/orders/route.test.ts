import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { idempotencyKeys, shippingMethods } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { orderFootprint } from "@/e2e/support/footprints";
import { stockOf } from "@/e2e/support/inventory";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { cancelOrder } from "@/lib/orders/cancel";
import { createOrder } from "@/lib/orders/create";
import { POST, PUT } from "./route";

async function tenantWithStock(): Promise<TestTenant> {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
  await createSku(t, "GADGET", { [t.warehouses.syd]: 10 });
  return t;
}

const post = (t: TestTenant, body: unknown, headers: Record<string, string> = {}) => call(POST, "/v1/orders", { key: t.key, body, headers });

describe("POST /v1/orders", () => {
  it("creates the order: 201, Location, the order object with items and no shipments", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t, { gift_message: "Happy birthday", packing_note: "Leave in porch", order_date: "2026-07-02T09:15:00Z" });
    const res = await post(t, body);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/orders/${res.body.id}`);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(res.body).toEqual({
      id: expect.stringMatching(/^ord_/),
      order_number: body.order_number,
      reference: body.reference,
      channel: "api",
      status: "received",
      hold_reason: null,
      warehouse_id: t.warehouses.syd,
      shipping_method_id: t.shippingMethods.express,
      order_date: "2026-07-02T09:15:00.000Z",
      ship_to: { name: "Jane Doe", company: null, email: null, phone: null, address1: "1 Main St", address2: null, city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
      items: [{ sku: "WIDGET", description: null, quantity: 2, quantity_shipped: 0, unit_price: "19.99", currency: "AUD" }],
      signature_required: false,
      insurance: false,
      gift_message: "Happy birthday",
      packing_note: "Leave in porch",
      version: "1",
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
      shipments: [],
    });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 10, allocated: 2, backordered: 0 });
  });

  it("accepts a shipping method by name, defaults to the environment's default method, and order_date to now", async () => {
    const t = await tenantWithStock();
    const [method] = await getDb().select().from(shippingMethods).where(eq(shippingMethods.id, t.shippingMethods.parcel));
    const byName = await post(t, orderBody(t, { shipping_method_id: undefined, shipping_method: method.name.toUpperCase() }));
    expect(byName.status).toBe(201);
    expect(byName.body.shipping_method_id).toBe(t.shippingMethods.parcel);
    const before = Date.now();
    const none = await post(t, orderBody(t, { shipping_method_id: undefined }));
    expect(none.status).toBe(201);
    expect(Date.parse(none.body.order_date)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("holds an order with no eligible warehouse and names the reason", async () => {
    const t = await tenantWithStock();
    const res = await post(t, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 99 }] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "on_hold", hold_reason: "no_eligible_warehouse", warehouse_id: null });
  });

  const hostile = "\u0000evil";
  const cases: { name: string; body?: (t: TestTenant) => unknown; raw?: string; headers?: Record<string, string>; status: number; code: string; field?: string | null }[] = [
    { name: "bad JSON", raw: '{"order_number": "SO-1",', status: 400, code: "invalid_json" },
    { name: "wrong content type", raw: "order_number=SO-1", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, code: "unsupported_media_type" },
    { name: "no content type", raw: "{}", headers: { "content-type": "" }, status: 415, code: "unsupported_media_type" },
    { name: "oversized body", raw: JSON.stringify({ order_number: "x".repeat(1024 * 1024 + 10) }), status: 413, code: "payload_too_large" },
    { name: "JSON that is not an object", raw: "[1,2]", status: 422, code: "validation_error" },
    { name: "quantity as a string", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: "2" as unknown as number }] }), status: 422, code: "validation_error", field: "items[0].quantity" },
    { name: "negative quantity", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "GADGET", quantity: -1 }] }), status: 422, code: "validation_error", field: "items[1].quantity" },
    { name: "zero quantity", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 0 }] }), status: 422, code: "validation_error", field: "items[0].quantity" },
    { name: "fractional quantity", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 1.5 }] }), status: 422, code: "validation_error", field: "items[0].quantity" },
    { name: "missing reference", body: (t) => ({ ...orderBody(t), reference: undefined }), status: 422, code: "validation_error", field: "reference" },
    { name: "missing ship_to", body: (t) => ({ ...orderBody(t), ship_to: undefined }), status: 422, code: "validation_error", field: "ship_to" },
    { name: "missing address1", body: (t) => orderBody(t, { ship_to: { city: "Sydney", country: "AU" } as never }), status: 422, code: "validation_error", field: "ship_to.address1" },
    { name: "missing items", body: (t) => ({ ...orderBody(t), items: undefined }), status: 422, code: "validation_error", field: "items" },
    { name: "empty items", body: (t) => orderBody(t, { items: [] }), status: 422, code: "validation_error", field: "items" },
    { name: "too many lines", body: (t) => orderBody(t, { items: Array.from({ length: 501 }, () => ({ sku: "WIDGET", quantity: 1 })) }), status: 422, code: "validation_error", field: "items" },
    { name: "country not alpha-2", body: (t) => orderBody(t, { ship_to: { address1: "1 Main St", city: "Sydney", country: "Australia" } }), status: 422, code: "validation_error", field: "ship_to.country" },
    { name: "country code that is not assigned", body: (t) => orderBody(t, { ship_to: { address1: "1 Main St", city: "Sydney", country: "XX" } }), status: 422, code: "validation_error", field: "ship_to.country" },
    { name: "reserved country code", body: (t) => orderBody(t, { ship_to: { address1: "1 Main St", city: "London", country: "UK" } }), status: 422, code: "validation_error", field: "ship_to.country" },
    { name: "currency that does not exist", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 1, unit_price: "1.00", currency: "XXX" }] }), status: 422, code: "validation_error", field: "items[0].currency" },
    { name: "negative unit_price", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "GADGET", quantity: 1, unit_price: "-1.00", currency: "AUD" }] }), status: 422, code: "validation_error", field: "items[1].unit_price" },
    { name: "unit_price as a float", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 1, unit_price: 19.99 as unknown as string }] }), status: 422, code: "validation_error", field: "items[0].unit_price" },
    { name: "bad order_date", body: (t) => orderBody(t, { order_date: "02/07/2026" }), status: 422, code: "validation_error", field: "order_date" },
    { name: "NUL in a string", body: (t) => orderBody(t, { order_number: hostile }), status: 422, code: "validation_error", field: "order_number" },
    { name: "control character in the address", body: (t) => orderBody(t, { ship_to: { address1: "1 Main\u0007St", city: "Sydney", country: "AU" } }), status: 422, code: "validation_error", field: "ship_to.address1" },
    { name: "huge string", body: (t) => orderBody(t, { packing_note: "x".repeat(100_000) }), status: 422, code: "validation_error", field: "packing_note" },
    { name: "unknown top-level field", body: (t) => ({ ...orderBody(t), priority: "high" }), status: 422, code: "validation_error", field: "priority" },
    { name: "unknown nested field", body: (t) => orderBody(t, { ship_to: { address1: "1 Main St", city: "Sydney", country: "AU", planet: "Earth" } as never }), status: 422, code: "validation_error", field: "ship_to.planet" },
    { name: "unknown SKU", body: (t) => orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "NOT-A-SKU", quantity: 1 }] }), status: 422, code: "unknown_sku", field: "items[1].sku" },
    { name: "hostile unknown SKU", body: (t) => orderBody(t, { items: [{ sku: "'; drop table orders; --", quantity: 1 }] }), status: 422, code: "unknown_sku", field: "items[0].sku" },
    { name: "unknown warehouse", body: (t) => orderBody(t, { warehouse_id: "wh_zzz" }), status: 422, code: "invalid_warehouse", field: "warehouse_id" },
    { name: "unknown shipping method id", body: (t) => orderBody(t, { shipping_method_id: "sm_zzz" }), status: 422, code: "invalid_shipping_method", field: "shipping_method_id" },
    { name: "unknown shipping method name", body: (t) => orderBody(t, { shipping_method_id: undefined, shipping_method: "Teleport" }), status: 422, code: "invalid_shipping_method", field: "shipping_method" },
    { name: "method name contradicting the id", body: (t) => orderBody(t, { shipping_method: "Teleport" }), status: 422, code: "invalid_shipping_method", field: "shipping_method" },
    { name: "malformed Idempotency-Key", body: (t) => orderBody(t), headers: { "idempotency-key": "has spaces in it" }, status: 422, code: "validation_error", field: "Idempotency-Key" },
    { name: "oversized Idempotency-Key", body: (t) => orderBody(t), headers: { "idempotency-key": "k".repeat(256) }, status: 422, code: "validation_error", field: "Idempotency-Key" },
  ];

  it.each(cases)("$name → $status $code, nothing written", async (c) => {
    const t = await tenantWithStock();
    const before = await orderFootprint(t);
    const headers = { "content-type": "application/json", ...(c.headers ?? {}) };
    if (headers["content-type"] === "") delete (headers as Record<string, string>)["content-type"];
    const res = await call(POST, "/v1/orders", { key: t.key, headers, ...(c.raw !== undefined ? { rawBody: c.raw } : { rawBody: JSON.stringify(c.body?.(t)) }) });
    expectError(res, c.status, c.code, c.field);
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("accepts every real country and currency, Kosovo's XK, and a price of zero", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t, { ship_to: { address1: "1 Mother Teresa Blvd", city: "Pristina", country: "XK" }, items: [{ sku: "WIDGET", quantity: 1, unit_price: "0.00", currency: "NZD" }] });
    const res = await post(t, body);
    expect(res.status).toBe(201);
    expect([res.body.ship_to.country, res.body.items[0].unit_price, res.body.items[0].currency]).toEqual(["XK", "0.00", "NZD"]);
  });

  it("refuses a request without a valid key (401) and other methods (405 with Allow)", async () => {
    const t = await tenantWithStock();
    expectError(await call(POST, "/v1/orders", { body: orderBody(t) }), 401, "unauthorized");
    expectError(await call(POST, "/v1/orders", { key: "wms_test_nope", body: orderBody(t) }), 401, "unauthorized");
    const put = await call(PUT, "/v1/orders", { method: "PUT", key: t.key, body: {} });
    expectError(put, 405, "method_not_allowed");
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect((await orderFootprint(t)).orders).toBe(0);
  });
});

describe("POST /v1/orders idempotency (spec §2)", () => {
  it("same key, same body → 200 with the same order and Idempotent-Replayed: true", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t);
    const first = await post(t, body, { "idempotency-key": "key-1" });
    const second = await post(t, body, { "idempotency-key": "key-1" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect((await orderFootprint(t)).orders).toBe(1);
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ allocated: 2 });
  });

  it("same key, different body → 422 idempotency_key_reused, nothing written", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t);
    await post(t, body, { "idempotency-key": "key-2" });
    const before = await orderFootprint(t);
    const res = await post(t, { ...body, packing_note: "different" }, { "idempotency-key": "key-2" });
    expectError(res, 422, "idempotency_key_reused", "Idempotency-Key");
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("keys are kept at least 7 days; an expired key is honoured as new", async () => {
    const t = await tenantWithStock();
    await post(t, orderBody(t), { "idempotency-key": "key-3" });
    const [row] = await getDb().select().from(idempotencyKeys).where(eq(idempotencyKeys.accountId, t.accountId));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
    await getDb()
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(idempotencyKeys.id, row.id));
    const res = await post(t, orderBody(t), { "idempotency-key": "key-3" });
    expect(res.status).toBe(201);
    expect((await orderFootprint(t)).orders).toBe(2);
  });

  it("existing reference without a key: identical body (any key order) → 200 replay; different → 409 duplicate_reference with order_id", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t);
    const first = await post(t, body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const replay = await call(POST, "/v1/orders", { key: t.key, rawBody: JSON.stringify(reordered), headers: { "content-type": "application/json" } });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(first.body.id);
    const before = await orderFootprint(t);
    const conflict = await post(t, { ...body, items: [{ sku: "WIDGET", quantity: 3 }] });
    expectError(conflict, 409, "duplicate_reference", "reference");
    expect(conflict.body.error.order_id).toBe(first.body.id);
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("a new key on an existing reference with the identical body replays, and the key replays afterwards", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t);
    const first = await post(t, body, { "idempotency-key": "key-a" });
    const viaReference = await post(t, body, { "idempotency-key": "key-b" });
    expect(viaReference.status).toBe(200);
    expect(viaReference.body.id).toBe(first.body.id);
    const viaKey = await post(t, body, { "idempotency-key": "key-b" });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.id).toBe(first.body.id);
    expect((await orderFootprint(t)).orders).toBe(1);
  });

  it("a replay returns the order as it is now", async () => {
    const t = await tenantWithStock();
    const body = orderBody(t);
    const first = await post(t, body, { "idempotency-key": "key-now" });
    await cancelOrder(getDb(), { ...t.ctx, source: "api" }, first.body.id);
    const replay = await post(t, body, { "idempotency-key": "key-now" });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: first.body.id, status: "cancelled", version: "2" });
  });

  it("keys and references are per account and environment", async () => {
    const a = await tenantWithStock();
    const b = await tenantWithStock();
    const body = orderBody(a, { reference: "SHARED-REF" });
    const first = await post(a, body, { "idempotency-key": "shared-key" });
    const other = await post(b, orderBody(b, { reference: "SHARED-REF" }), { "idempotency-key": "shared-key" });
    expect(first.status).toBe(201);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    // The same order through the domain function (the path every intake shares) answers as a replay too.
    const again = await createOrder(getDb(), { ...a.ctx, source: "api" }, body, { idempotencyKey: "shared-key" });
    expect(again).toMatchObject({ created: false, order: { id: first.body.id } });
  });
});
