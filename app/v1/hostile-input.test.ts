import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { warehouseEvents, webhookEndpoints } from "@/db/schema";
import { call, expectError, type RouteHandler } from "@/e2e/support/route-calls";
import { orderFootprint } from "@/e2e/support/footprints";
import { orderBody } from "@/e2e/support/orders";
import { createSku, createTenant, keyWithRole, type TestTenant } from "@/e2e/support/factories";
import * as fallback from "./[...path]/route";
import * as inboundOne from "./inbound-shipments/[id]/route";
import * as inbound from "./inbound-shipments/route";
import * as adjustments from "./inventory-adjustments/route";
import * as inventory from "./inventory/route";
import * as orderOne from "./orders/[id]/route";
import * as orderEvents from "./orders/[id]/events/route";
import * as orders from "./orders/route";
import * as returnOne from "./returns/[id]/route";
import * as returns from "./returns/route";
import * as sandboxInventory from "./sandbox/inventory/route";
import * as sandboxPick from "./sandbox/orders/[id]/pick/route";
import * as shipmentOne from "./shipments/[id]/route";
import * as shipments from "./shipments/route";
import * as warehouseEventsRoute from "./warehouse-events/route";
import * as warehouses from "./warehouses/route";
import * as webhookOne from "./webhooks/[id]/route";
import * as webhooks from "./webhooks/route";

/**
 * Strings PostgreSQL cannot store as sent (NUL, half a surrogate pair), bytes that are not UTF-8 and dates outside
 * what PostgreSQL and ISO 8601 share, from path, query and body of every /v1 route family: a 400 or 422 naming the
 * field, never a 500, never a U+FFFD stored in place of what the partner sent, and nothing written.
 */

const LONE = "\ud800";
const NUL = "\u0000";

async function tenant(): Promise<TestTenant> {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
  return t;
}

/** A body sent as exact bytes (call() would send a string, which fetch re-encodes as UTF-8). */
function bytesRequest(path: string, key: string, bytes: Uint8Array<ArrayBuffer>): Request {
  return new Request(`http://hub.test${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: bytes });
}

describe("path parameters", () => {
  const routes: [string, RouteHandler, string][] = [
    ["GET /v1/orders/{id}", orderOne.GET, "/v1/orders/x"],
    ["GET /v1/orders/{id}/events", orderEvents.GET, "/v1/orders/x/events"],
    ["GET /v1/shipments/{id}", shipmentOne.GET, "/v1/shipments/x"],
    ["GET /v1/inbound-shipments/{id}", inboundOne.GET, "/v1/inbound-shipments/x"],
    ["GET /v1/returns/{id}", returnOne.GET, "/v1/returns/x"],
    ["GET /v1/webhooks/{id}", webhookOne.GET, "/v1/webhooks/x"],
    ["POST /v1/sandbox/orders/{id}/pick", sandboxPick.POST, "/v1/sandbox/orders/x/pick"],
  ];

  it.each(routes)("%s refuses NUL and unpaired surrogates in the id: 400 invalid_parameter, field id", async (_name, handler, path) => {
    const t = await tenant();
    const method = path.endsWith("/pick") ? "POST" : "GET";
    for (const id of [`ord_${NUL}`, NUL, `ord_${LONE}`]) {
      expectError(await call(handler, path, { key: t.key, method, params: { id } }), 400, "invalid_parameter", "id");
    }
  });

  it("the fallback of unknown paths refuses them the same way, and answers 404 for a clean unknown path", async () => {
    const unknown = (path: string[]) => fallback.GET(new Request(`http://hub.test/v1/${path.join("/")}`), { params: Promise.resolve({ path }) });
    const refused = await unknown(["orders", NUL]);
    expect([refused.status, (await refused.json()).error]).toEqual([400, expect.objectContaining({ code: "invalid_parameter", field: "path" })]);
    expect((await unknown(["nothing", "here"])).status).toBe(404);
  });
});

describe("query parameters", () => {
  const lists: [string, RouteHandler, string][] = [
    ["orders", orders.GET, "/v1/orders?reference="],
    ["shipments", shipments.GET, "/v1/shipments?order_id="],
    ["inventory", inventory.GET, "/v1/inventory?sku="],
    ["inventory adjustments", adjustments.GET, "/v1/inventory-adjustments?sku="],
    ["inbound shipments", inbound.GET, "/v1/inbound-shipments?reference="],
    ["returns", returns.GET, "/v1/returns?rma="],
    ["webhooks", webhooks.GET, "/v1/webhooks?cursor="],
    ["warehouses", warehouses.GET, "/v1/warehouses?cursor="],
  ];

  it.each(lists)("%s: NUL, an encoded surrogate or bytes that are not UTF-8 → 400 invalid_parameter naming the parameter", async (_name, handler, prefix) => {
    const t = await tenant();
    const field = prefix.slice(prefix.indexOf("?") + 1, -1);
    for (const value of ["%00", "A%00B", "%ED%A0%80", "%FF", "%C0%AF"]) {
      expectError(await call(handler, `${prefix}${value}`, { key: t.key }), 400, "invalid_parameter", field);
    }
  });

  it("a parameter name that is not UTF-8 is refused too", async () => {
    const t = await tenant();
    expectError(await call(inventory.GET, "/v1/inventory?%FF=1", { key: t.key }), 400, "invalid_parameter", "%FF");
  });

  it("decodes as before otherwise: '+' is a space, a stray '%' is kept, UTF-8 escapes are read", async () => {
    const t = await tenant();
    await createSku(t, "CAFÉ 100%", { [t.warehouses.syd]: 3 });
    for (const query of ["sku=CAF%C3%89+100%", "sku=CAF%C3%89%20100%25"]) {
      const res = await call(inventory.GET, `/v1/inventory?${query}`, { key: t.key });
      expect(res.status, query).toBe(200);
      expect(res.body.data.map((s: { sku: string }) => s.sku)).toEqual(["CAFÉ 100%"]);
    }
  });

  it("updated_since outside 0001-01-01..9999-12-31 → 400 naming it; the earliest sentinel clients send is accepted", async () => {
    const t = await tenant();
    for (const since of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00%2B01:00", "9999-12-31T23:59:59-01:00"]) {
      expectError(await call(orders.GET, `/v1/orders?updated_since=${since}`, { key: t.key }), 400, "invalid_parameter", "updated_since");
    }
    for (const since of ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
      expect((await call(orders.GET, `/v1/orders?updated_since=${since}`, { key: t.key })).status, since).toBe(200);
    }
  });
});

describe("JSON bodies", () => {
  it("an unpaired surrogate in a text field is refused, not stored as U+FFFD", async () => {
    const t = await tenant();
    const before = await orderFootprint(t);
    const res = await call(orders.POST, "/v1/orders", { key: t.key, body: orderBody(t, { ship_to: { ...orderBody(t).ship_to, name: `Jane ${LONE}` } }) });
    expectError(res, 422, "validation_error", "ship_to.name");
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("an unpaired surrogate or NUL in a field stored as JSON is refused with its path, not a 500", async () => {
    const t = await tenant();
    const before = await orderFootprint(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ tags: ["gift", `x${LONE}`] }, "tags[1]"],
      [{ tags: [`a${NUL}`] }, "tags[0]"],
      [{ warehouse_id: `wh_${NUL}` }, "warehouse_id"],
      [{ items: [{ sku: "WIDGET", quantity: 1 }, { sku: `W${"\udc00"}`, quantity: 1 }] }, "items[1].sku"],
    ];
    for (const [overrides, field] of cases) {
      expectError(await call(orders.POST, "/v1/orders", { key: t.key, body: orderBody(t, overrides) }), 422, "validation_error", field);
    }
    // A key is named by its parent: its own name is what cannot be repeated back.
    const res = await call(orders.POST, "/v1/orders", { key: t.key, body: { ...orderBody(t), ship_to: { ...orderBody(t).ship_to, [`x${NUL}`]: 1 } } });
    expectError(res, 422, "validation_error", "ship_to");
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("bytes that are not UTF-8 are not JSON: 400 invalid_json, nothing written", async () => {
    const t = await tenant();
    const before = await orderFootprint(t);
    const text = JSON.stringify(orderBody(t, { ship_to: { ...orderBody(t).ship_to, name: "Jane MARKER" } }));
    const [head, tail] = text.split("MARKER");
    for (const bad of [[0xff], [0xed, 0xa0, 0x80], [0xc3]]) {
      const bytes = new Uint8Array([...Buffer.from(head), ...bad, ...Buffer.from(tail)]);
      const res = await orders.POST(bytesRequest("/v1/orders", t.key, bytes));
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "invalid_json" });
    }
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("order_date outside 0001-01-01..9999-12-31 → 422 naming it, not a 500", async () => {
    const t = await tenant();
    const before = await orderFootprint(t);
    for (const orderDate of ["0000-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00"]) {
      expectError(await call(orders.POST, "/v1/orders", { key: t.key, body: orderBody(t, { order_date: orderDate }) }), 422, "validation_error", "order_date");
    }
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("warehouse events keep their payload as JSON: an unpaired surrogate anywhere in it → 422 with its path, no event row", async () => {
    const t = await tenant();
    const wh = await keyWithRole(t, "warehouse");
    const event = { event_id: `evt-${Date.now()}`, source: "carrier", status: "IN_TRANSIT", tracking_number: "TRK1", occurred_at: "2026-07-02T09:15:00Z" };
    for (const [body, field] of [
      [{ ...event, message: `scan ${LONE}` }, "message"],
      [{ ...event, status: `IN${NUL}TRANSIT` }, "status"],
    ] as const) {
      expectError(await call(warehouseEventsRoute.POST, "/v1/warehouse-events", { key: wh, body }), 422, "validation_error", field);
    }
    expect(await getDb().select().from(warehouseEvents).where(eq(warehouseEvents.accountId, t.accountId))).toEqual([]);
  });

  it("every other body route goes through the same check", async () => {
    const t = await tenant();
    const cases: [RouteHandler, string, Record<string, unknown>, string][] = [
      [inbound.POST, "/v1/inbound-shipments", { reference: "ASN-1", warehouse_id: t.warehouses.syd, supplier: `Acme ${LONE}`, items: [{ sku: "WIDGET", expected_quantity: 1 }] }, "supplier"],
      [returns.POST, "/v1/returns", { order_id: "ord_x", rma: `RMA${NUL}`, items: [{ sku: "WIDGET", quantity: 1 }] }, "rma"],
      [webhooks.POST, "/v1/webhooks", { url: `https://example.test/${LONE}`, events: ["shipment.created"] }, "url"],
      [sandboxInventory.POST, "/v1/sandbox/inventory", { sku: `NEW${LONE}`, warehouse_id: t.warehouses.syd, on_hand: 1 }, "sku"],
    ];
    for (const [handler, path, body, field] of cases) {
      expectError(await call(handler, path, { key: t.key, body }), 422, "validation_error", field);
    }
    expect(await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.accountId, t.accountId))).toEqual([]);
  });
});
