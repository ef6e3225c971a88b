import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { fulfillmentFootprint } from "@/e2e/support/footprints";
import { stockOf } from "@/e2e/support/inventory";
import { placeTestOrder } from "@/e2e/support/orders";
import { call, expectAuthFailures, expectError, expectRateLimited } from "@/e2e/support/route-calls";
import { MAX_BODY_BYTES } from "@/lib/api/request";
import { createShipment } from "@/lib/shipments/ship";
import * as pick from "./orders/[id]/pick/route";
import * as ship from "./orders/[id]/ship/route";
import * as status from "./shipments/[id]/status/route";
import * as voidRoute from "./shipments/[id]/void/route";

async function world() {
  const t = await createTenant();
  await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
  const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
  const [account] = await getDb().select().from(accounts).where(eq(accounts.id, t.accountId));
  // The same account's production side: its ids must not resolve with a sandbox key.
  const live = await createTenant({ environment: "live", name: account.name });
  await createSku(live, "BLUE", { [live.warehouses.syd]: 10 });
  const liveOrder = await placeTestOrder(live, [{ sku: "BLUE", quantity: 1 }]);
  return { t, order, live, liveOrder };
}

async function shipOne(t: TestTenant, orderId: string) {
  const res = await call(ship.POST, `/v1/sandbox/orders/${orderId}/ship`, { method: "POST", key: t.key, params: { id: orderId } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe("sandbox order commands: the error envelope for every failure, nothing written", () => {
  it("pick and ship refuse bad keys, warehouse keys and live keys", async () => {
    const { t, order } = await world();
    const before = await fulfillmentFootprint(t, order.id);
    await expectAuthFailures(pick.POST, `/v1/sandbox/orders/${order.id}/pick`, { method: "POST", params: { id: order.id }, tenant: t, sandboxOnly: true });
    await expectAuthFailures(ship.POST, `/v1/sandbox/orders/${order.id}/ship`, { method: "POST", params: { id: order.id }, tenant: t, sandboxOnly: true });
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
  });

  it("answers 404 for unknown ids and for another account's or environment's orders", async () => {
    const { t, liveOrder } = await world();
    const stranger = await createTenant();
    await createSku(stranger, "BLUE", { [stranger.warehouses.syd]: 1 });
    const theirs = await placeTestOrder(stranger, [{ sku: "BLUE", quantity: 1 }]);
    for (const id of ["ord_nope", theirs.id, liveOrder.id]) {
      expectError(await call(pick.POST, `/v1/sandbox/orders/${id}/pick`, { method: "POST", key: t.key, params: { id } }), 404, "not_found");
      expectError(await call(ship.POST, `/v1/sandbox/orders/${id}/ship`, { method: "POST", key: t.key, params: { id } }), 404, "not_found");
    }
    expect((await fulfillmentFootprint(stranger, theirs.id)).shipments).toEqual([]);
  });

  it("refuses malformed bodies: wrong content type, invalid JSON, unknown fields, oversize", async () => {
    const { t, order } = await world();
    const before = await fulfillmentFootprint(t, order.id);
    const opts = { method: "POST", key: t.key, params: { id: order.id } };
    const path = `/v1/sandbox/orders/${order.id}/ship`;
    expectError(await call(ship.POST, path, { ...opts, rawBody: "items=1", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    expectError(await call(ship.POST, path, { ...opts, rawBody: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectError(await call(ship.POST, path, { ...opts, body: { itemz: [] } }), 422, "validation_error", "itemz");
    expectError(await call(ship.POST, path, { ...opts, body: { items: [{ sku: "BLUE", quantity: 0 }] } }), 422, "validation_error", "items[0].quantity");
    expectError(await call(ship.POST, path, { ...opts, body: { parcels: [{ weight: { value: 1, unit: "stone" } }] } }), 422, "validation_error", "parcels[0].weight.unit");
    expectError(await call(ship.POST, path, { ...opts, body: { cost: { amount: 12.4, currency: "AUD" } } }), 422, "validation_error", "cost.amount");
    expectError(
      await call(ship.POST, path, { ...opts, rawBody: JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES) }), headers: { "content-type": "application/json" } }),
      413,
      "payload_too_large",
    );
    expectError(await call(pick.POST, `/v1/sandbox/orders/${order.id}/pick`, { ...opts, body: { now: true } }), 422, "validation_error", "now");
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
    // An empty JSON body, or none at all, is fine for pick.
    const ok = await call(pick.POST, `/v1/sandbox/orders/${order.id}/pick`, { ...opts, rawBody: "", headers: { "content-type": "application/json" } });
    expect(ok.status).toBe(200);
  });

  it("refuses shipping more than is left, or SKUs not on the order, naming the field", async () => {
    const { t, order } = await world();
    await createSku(t, "RED", { [t.warehouses.syd]: 10 });
    const before = await fulfillmentFootprint(t, order.id);
    const stock = await stockOf(t, "BLUE");
    const path = `/v1/sandbox/orders/${order.id}/ship`;
    const opts = { key: t.key, params: { id: order.id } };
    expectError(await call(ship.POST, path, { ...opts, body: { items: [{ sku: "RED", quantity: 1 }] } }), 422, "validation_error", "items[0].sku");
    const tooMany = await call(ship.POST, path, { ...opts, body: { items: [{ sku: "BLUE", quantity: 3 }] } });
    expectError(tooMany, 422, "validation_error", "items[0].quantity");
    expect(tooMany.body.error.unshipped_quantity).toBe(2);
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
    expect(await stockOf(t, "BLUE")).toEqual(stock);
  });

  it("answers 422 for orders that cannot be picked or shipped and 409 once shipped", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 1 });
    const backordered = await placeTestOrder(t, [{ sku: "BLUE", quantity: 5 }]);
    const p = await call(pick.POST, `/v1/sandbox/orders/${backordered.id}/pick`, { method: "POST", key: t.key, params: { id: backordered.id } });
    expectError(p, 422, "validation_error");
    expect(p.body.error.order_status).toBe("backordered");
    const s = await call(ship.POST, `/v1/sandbox/orders/${backordered.id}/ship`, { method: "POST", key: t.key, params: { id: backordered.id } });
    expectError(s, 422, "validation_error");
    expect(s.body.error.order_status).toBe("backordered");

    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 1 }]);
    await shipOne(t, order.id);
    const picked = await call(pick.POST, `/v1/sandbox/orders/${order.id}/pick`, { method: "POST", key: t.key, params: { id: order.id } });
    expectError(picked, 409, "already_shipped");
    expect(picked.body.error.order_status).toBe("shipped");
  });

  it("answers 405 with Allow: POST for other methods", async () => {
    for (const handler of [pick.GET, ship.PUT, status.DELETE, voidRoute.PATCH]) {
      const res = await call(handler, "/v1/sandbox/x", { method: "GET" });
      expectError(res, 405, "method_not_allowed");
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("rate limits sandbox commands too", async () => {
    await expectRateLimited(pick.POST, "/v1/sandbox/orders/ord_nope/pick", { method: "POST", params: { id: "ord_nope" } });
  });
});

describe("sandbox shipment commands", () => {
  it("status and void refuse bad keys, live keys, and other tenants' shipments", async () => {
    const { t, order, live, liveOrder } = await world();
    const shipment = await shipOne(t, order.id);
    const path = `/v1/sandbox/shipments/${shipment.id}`;
    await expectAuthFailures(status.POST, `${path}/status`, { params: { id: shipment.id }, body: { status: "in_transit" }, tenant: t, sandboxOnly: true });
    await expectAuthFailures(voidRoute.POST, `${path}/void`, { method: "POST", params: { id: shipment.id }, tenant: t, sandboxOnly: true });

    const stranger = await createTenant();
    expectError(await call(status.POST, `${path}/status`, { key: stranger.key, params: { id: shipment.id }, body: { status: "in_transit" } }), 404, "not_found");
    expectError(await call(voidRoute.POST, `${path}/void`, { method: "POST", key: stranger.key, params: { id: shipment.id } }), 404, "not_found");
    // The account's live shipment is invisible to its sandbox key (and live keys cannot use the sandbox).
    const liveShipment = await inTransaction(getDb(), (tx) => createShipment(tx, { ...live.ctx, source: "wms" }, { orderId: liveOrder.id }));
    const id = liveShipment.shipment.id;
    expectError(await call(status.POST, `/v1/sandbox/shipments/${id}/status`, { key: t.key, params: { id }, body: { status: "in_transit" } }), 404, "not_found");
    expectError(await call(status.POST, "/v1/sandbox/shipments/shp_nope/status", { key: t.key, params: { id: "shp_nope" }, body: { status: "in_transit" } }), 404, "not_found");

    const before = await fulfillmentFootprint(t, order.id);
    expectError(await call(status.POST, `${path}/status`, { key: t.key, params: { id: shipment.id }, body: { status: "teleported" } }), 422, "validation_error", "status");
    expectError(await call(status.POST, `${path}/status`, { key: t.key, params: { id: shipment.id }, body: { status: "voided" } }), 422, "validation_error", "status");
    expectError(await call(status.POST, `${path}/status`, { key: t.key, params: { id: shipment.id }, body: {} }), 422, "validation_error", "status");
    expectError(await call(status.POST, `${path}/status`, { method: "POST", key: t.key, params: { id: shipment.id } }), 415, "unsupported_media_type");
    expectError(await call(voidRoute.POST, `${path}/void`, { key: t.key, params: { id: shipment.id }, body: { reason: "x" } }), 422, "validation_error", "reason");
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
  });

  it("refuses voiding a delivered shipment", async () => {
    const { t, order } = await world();
    const shipment = await shipOne(t, order.id);
    const res = await call(status.POST, `/v1/sandbox/shipments/${shipment.id}/status`, { key: t.key, params: { id: shipment.id }, body: { status: "delivered" } });
    expect(res.status).toBe(200);
    const before = await fulfillmentFootprint(t, order.id);
    const v = await call(voidRoute.POST, `/v1/sandbox/shipments/${shipment.id}/void`, { method: "POST", key: t.key, params: { id: shipment.id } });
    expectError(v, 422, "validation_error");
    expect(v.body.error.shipment_status).toBe("delivered");
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
  });
});
