import http from "node:http";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { expectError, expectStatus, Partner, type Json } from "../support/partner-api";
import { issueKey, uniqueName } from "../support/cli";
import { baseURL } from "../support/playwright-env";

/**
 * Every way a partner can get it wrong, over real HTTP against the production server: the exact status, error
 * code and field, the request id in header and body, and nothing written.
 */

type World = {
  http: APIRequestContext;
  alice: Partner;
  bob: Partner;
  live: Partner;
  warehouseKey: Partner;
  aliceOrder: Json;
  warehouseId: string;
  methodId: string;
  sku: string;
};

let world: World;

function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const reference = uniqueName("ref");
  return {
    order_number: `SO-${reference}`,
    reference,
    warehouse_id: world.warehouseId,
    shipping_method_id: world.methodId,
    ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    items: [{ sku: world.sku, quantity: 1 }],
    ...overrides,
  };
}

test.beforeAll(async () => {
  const http = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { accept: "application/json" } });
  const [aliceKey, bobKey, liveKey, whKey] = await Promise.all([
    issueKey({ account: uniqueName("alice"), env: "sandbox" }),
    issueKey({ account: uniqueName("bob"), env: "sandbox" }),
    issueKey({ account: uniqueName("live"), env: "live" }),
    issueKey({ account: uniqueName("wms"), env: "sandbox", role: "warehouse" }),
  ]);
  const alice = new Partner(http, aliceKey);
  const warehouses = (await expectStatus(await alice.get("/v1/warehouses"), 200)).data as Json[];
  const methods = (await expectStatus(await alice.get("/v1/shipping-methods"), 200)).data as Json[];
  const sku = uniqueName("SKU").toUpperCase();
  world = {
    http,
    alice,
    bob: new Partner(http, bobKey),
    live: new Partner(http, liveKey),
    warehouseKey: new Partner(http, whKey),
    aliceOrder: {},
    warehouseId: warehouses[0].id as string,
    methodId: methods[0].id as string,
    sku,
  };
  expect((await alice.post("/v1/sandbox/inventory", { sku, warehouse_id: world.warehouseId, on_hand: 50 })).status()).toBeLessThan(300);
  world.aliceOrder = await expectStatus(await alice.post("/v1/orders", orderBody()), 201);
});

test.afterAll(async () => {
  await world?.http.dispose();
});

type Case = {
  name: string;
  send: () => Promise<APIResponse>;
  status: number;
  code: string;
  field?: string;
  /** Checks beyond the envelope (headers, extra keys, nothing written). */
  also?: (response: APIResponse, error: Json) => Promise<void>;
};

const cases: Case[] = [
  {
    name: "no Authorization header",
    send: () => world.http.get("/v1/orders"),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a malformed key",
    send: () => world.http.get("/v1/orders", { headers: { authorization: "Bearer not-a-key" } }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a well-formed key that was never issued",
    send: () => world.http.get("/v1/orders", { headers: { authorization: `Bearer wms_test_${"x".repeat(40)}` } }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "another account's order",
    send: () => world.bob.get(`/v1/orders/${world.aliceOrder.id}`),
    status: 404,
    code: "not_found",
  },
  {
    name: "cancelling another account's order",
    send: () => world.bob.post(`/v1/orders/${world.aliceOrder.id}/cancel`),
    status: 404,
    code: "not_found",
    also: async () => {
      const order = await expectStatus(await world.alice.get(`/v1/orders/${world.aliceOrder.id}`), 200);
      expect(order.status).toBe("received");
    },
  },
  {
    name: "a sandbox id read with a live key",
    send: () => world.live.get(`/v1/orders/${world.aliceOrder.id}`),
    status: 404,
    code: "not_found",
  },
  {
    name: "an order id that does not exist",
    send: () => world.alice.get("/v1/orders/ord_doesnotexist"),
    status: 404,
    code: "not_found",
  },
  {
    name: "a path the API does not have",
    send: () => world.alice.get("/v1/no-such-thing"),
    status: 404,
    code: "not_found",
  },
  {
    name: "a body that is not JSON by its content type",
    send: () => world.alice.raw("POST", "/v1/orders", JSON.stringify(orderBody()), { "content-type": "text/plain" }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a body over 1 MiB",
    send: () => world.alice.raw("POST", "/v1/orders", JSON.stringify(orderBody({ packing_note: "x".repeat(1024 * 1024 + 10) })), { "content-type": "application/json" }),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "JSON that does not parse",
    send: () => world.alice.raw("POST", "/v1/orders", '{"order_number": "SO-1", ', { "content-type": "application/json" }),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "an unknown SKU on the second line (nothing is created)",
    send: () => world.alice.post("/v1/orders", orderBody({ reference: "e2e-unknown-sku-ref", items: [{ sku: world.sku, quantity: 1 }, { sku: "NO-SUCH-SKU", quantity: 1 }] })),
    status: 422,
    code: "unknown_sku",
    field: "items[1].sku",
    also: async () => {
      const list = await expectStatus(await world.alice.get("/v1/orders?reference=e2e-unknown-sku-ref"), 200);
      expect(list.data).toEqual([]);
    },
  },
  {
    name: "an unknown warehouse",
    send: () => world.alice.post("/v1/orders", orderBody({ warehouse_id: "wh_nowhere" })),
    status: 422,
    code: "invalid_warehouse",
    field: "warehouse_id",
  },
  {
    name: "a quantity that is not a positive integer",
    send: () => world.alice.post("/v1/orders", orderBody({ items: [{ sku: "ANY", quantity: 0 }] })),
    status: 422,
    code: "validation_error",
    field: "items[0].quantity",
  },
  {
    name: "a reused reference with a different body",
    send: () => world.alice.post("/v1/orders", { ...orderBody(), reference: world.aliceOrder.reference, order_number: "SO-DIFFERENT" }),
    status: 409,
    code: "duplicate_reference",
    field: "reference",
    also: async (_response, error) => {
      expect(error.order_id).toBe(world.aliceOrder.id);
    },
  },
  {
    name: "a method the route does not serve",
    send: () => world.alice.raw("PUT", "/v1/orders", "{}", { "content-type": "application/json" }),
    status: 405,
    code: "method_not_allowed",
    also: async (response) => {
      expect(response.headers()["allow"]?.split(/,\s*/).sort()).toEqual(["GET", "POST"]);
    },
  },
  {
    name: "a live key on a sandbox simulation",
    send: () => world.live.post(`/v1/sandbox/orders/${world.aliceOrder.id}/pick`),
    status: 403,
    code: "sandbox_only",
  },
  {
    name: "a warehouse key on a partner endpoint",
    send: () => world.warehouseKey.get("/v1/orders"),
    status: 403,
    code: "forbidden",
  },
  {
    name: "a misspelled query parameter",
    send: () => world.alice.get("/v1/orders?limt=5"),
    status: 400,
    code: "invalid_parameter",
    field: "limt",
  },
  {
    name: "a tampered cursor",
    send: () => world.alice.get("/v1/shipments?cursor=eyJpZCI6MTA0MjB9.AAAAAAAAAAAAAAAAAAAAAA"),
    status: 400,
    code: "invalid_cursor",
    field: "cursor",
  },
  // Hostile strings and dates, from path, query and body: refused with the field named, never a 500, never stored altered.
  {
    name: "NUL in a path segment",
    send: () => world.alice.get("/v1/orders/%00"),
    status: 400,
    code: "invalid_parameter",
    field: "id",
  },
  {
    name: "a path escape that is not UTF-8 (Next.js cannot decode it)",
    send: () => world.alice.get("/v1/orders/%FF"),
    status: 400,
    code: "invalid_parameter",
    field: "path",
  },
  {
    name: "a path escape that is not UTF-8 in a path the API does not have",
    send: () => world.alice.post("/v1/no-such-thing/%C0%AF", {}),
    status: 400,
    code: "invalid_parameter",
    field: "path",
  },
  {
    name: "NUL in a path the API does not have",
    send: () => world.alice.get("/v1/no-such-thing/%00"),
    status: 400,
    code: "invalid_parameter",
    field: "path",
  },
  {
    name: "NUL in a query parameter",
    send: () => world.alice.get("/v1/inventory?sku=%00"),
    status: 400,
    code: "invalid_parameter",
    field: "sku",
  },
  {
    name: "a query parameter whose escapes are not UTF-8",
    send: () => world.alice.get("/v1/inventory?sku=%FF"),
    status: 400,
    code: "invalid_parameter",
    field: "sku",
  },
  {
    name: "updated_since in year 0",
    send: () => world.alice.get("/v1/orders?updated_since=0000-01-01T00:00:00Z"),
    status: 400,
    code: "invalid_parameter",
    field: "updated_since",
  },
  {
    name: "an unpaired surrogate in a text field (nothing is created)",
    send: () => world.alice.post("/v1/orders", orderBody({ reference: "e2e-lone-surrogate-ref", ship_to: { ...(orderBody().ship_to as Json), name: "Jane \ud800" } })),
    status: 422,
    code: "validation_error",
    field: "ship_to.name",
    also: async () => {
      const list = await expectStatus(await world.alice.get("/v1/orders?reference=e2e-lone-surrogate-ref"), 200);
      expect(list.data).toEqual([]);
    },
  },
  {
    name: "NUL in a field stored as JSON (nothing is created)",
    send: () => world.alice.post("/v1/orders", orderBody({ reference: "e2e-nul-tag-ref", tags: ["gift", "a\u0000b"] })),
    status: 422,
    code: "validation_error",
    field: "tags[1]",
    also: async () => {
      const list = await expectStatus(await world.alice.get("/v1/orders?reference=e2e-nul-tag-ref"), 200);
      expect(list.data).toEqual([]);
    },
  },
  {
    name: "a body that is not UTF-8",
    send: () => world.alice.raw("POST", "/v1/orders", Buffer.concat([Buffer.from('{"order_number": "SO-'), Buffer.from([0xff]), Buffer.from('"}')]), { "content-type": "application/json" }),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "an order_date in year 0",
    send: () => world.alice.post("/v1/orders", orderBody({ order_date: "0000-01-01T00:00:00Z" })),
    status: 422,
    code: "validation_error",
    field: "order_date",
  },
  // Values that look right but name nothing real: refused with the field named, instead of an order left on hold.
  {
    name: "a country code that is not assigned (nothing is created)",
    send: () => world.alice.post("/v1/orders", orderBody({ reference: "e2e-country-xx-ref", ship_to: { ...(orderBody().ship_to as Json), country: "XX" } })),
    status: 422,
    code: "validation_error",
    field: "ship_to.country",
    also: async () => {
      const list = await expectStatus(await world.alice.get("/v1/orders?reference=e2e-country-xx-ref"), 200);
      expect(list.data).toEqual([]);
    },
  },
  {
    name: "a currency that does not exist",
    send: () => world.alice.post("/v1/orders", orderBody({ items: [{ sku: world.sku, quantity: 1, unit_price: "10.00", currency: "XXX" }] })),
    status: 422,
    code: "validation_error",
    field: "items[0].currency",
  },
  {
    name: "a negative unit price",
    send: () => world.alice.post("/v1/orders", orderBody({ items: [{ sku: world.sku, quantity: 1, unit_price: "-1.00", currency: "AUD" }] })),
    status: 422,
    code: "validation_error",
    field: "items[0].unit_price",
  },
];

for (const c of cases) {
  test(`${c.status} ${c.code}: ${c.name}`, async () => {
    const response = await c.send();
    const error = await expectError(response, c.status, c.code, c.field);
    expect(response.headers()["content-type"]).toContain("application/json");
    await c.also?.(response, error);
  });
}

test("a valid incoming X-Request-Id is echoed in the header and the error body", async () => {
  const response = await world.alice.get("/v1/orders/ord_doesnotexist", { "X-Request-Id": "e2e-trace-42" });
  expect(response.headers()["x-request-id"]).toBe("e2e-trace-42");
  const error = await expectError(response, 404, "not_found");
  expect(error.request_id).toBe("e2e-trace-42");
});

test("successful answers carry a request id and the rate-limit headers", async () => {
  const response = await world.alice.get("/v1/orders?limit=1");
  await expectStatus(response, 200);
  const headers = response.headers();
  expect(headers["x-request-id"]).toMatch(/^req_/);
  expect(Number(headers["x-ratelimit-limit"])).toBeGreaterThan(0);
  expect(Number(headers["x-ratelimit-remaining"])).toBeLessThan(Number(headers["x-ratelimit-limit"]));
  expect(Number(headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000 - 1);
});

/**
 * One POST on a keep-alive socket of a pool that holds one socket, then a GET through the same pool: how a
 * partner's HTTP client (Node's default agent) sends them. `body` is written in 64 KiB chunks; without a length it
 * goes chunked. `reused`: the GET went over the POST's socket.
 */
type Sent = { status: number; connection?: string; reused: boolean; ms: number } | { error: string; ms: number };

async function postThenGet(headers: Record<string, string>, body: number, path = "/v1/orders") {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, target: string, extra: Record<string, string>, size: number) =>
    new Promise<Sent>((resolve) => {
      const started = Date.now();
      const req = http.request(`${baseURL}${target}`, { method, agent, headers: extra }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket, ms: Date.now() - started }));
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: Date.now() - started }));
      let sent = 0;
      const write = () => {
        while (sent < size) {
          const n = Math.min(64 * 1024, size - sent);
          sent += n;
          if (!req.write(Buffer.alloc(n, 0x20))) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });
  try {
    const first = await send("POST", path, headers, body);
    const second = await send("GET", "/v1/warehouses", { authorization: `Bearer ${world.alice.key}` }, 0);
    return { first, second };
  } finally {
    agent.destroy();
  }
}

test.describe("an answer given before the body is read does not poison the client's keep-alive socket", () => {
  const json = { "content-type": "application/json" };
  const alice = () => ({ ...json, authorization: `Bearer ${world.alice.key}` });
  // Before: the answer said keep-alive with the rest of the body on the socket, and the next request on it died with
  // ECONNRESET when the server timed the socket out (6 s). Now the rest is thrown away and the socket serves the GET.
  const drained: [string, () => Record<string, string>, number, number, string][] = [
    ["413 for a 2 MiB chunked order", alice, 2 * 1024 * 1024, 413, "/v1/orders"],
    ["413 for a 2 MiB order announced by Content-Length", () => ({ ...alice(), "content-length": String(2 * 1024 * 1024) }), 2 * 1024 * 1024, 413, "/v1/orders"],
    ["401 for a 512 KiB order without a key", () => json, 512 * 1024, 401, "/v1/orders"],
    ["415 for a 512 KiB body that is not JSON by its type", () => ({ ...alice(), "content-type": "text/plain" }), 512 * 1024, 415, "/v1/orders"],
    ["413 for a 6 MiB chunked Shopify delivery", () => ({ ...json, "x-shopify-shop-domain": "nobody.myshopify.com" }), 6 * 1024 * 1024, 413, "/channels/shopify/webhooks"],
  ];
  for (const [name, headers, size, status, path] of drained) {
    test(`${name}: the rest is thrown away and the same socket serves the next request`, async () => {
      const { first, second } = await postThenGet(headers(), size, path);
      expect(first).toMatchObject({ status, connection: "keep-alive" });
      expect(second).toMatchObject({ status: 200, reused: true });
      expect(second.ms).toBeLessThan(3_000);
    });
  }

  test("413 for a 16 MiB chunked order: past what is thrown away the connection is closed, and the next request gets a fresh one", async () => {
    const { first, second } = await postThenGet(alice(), 16 * 1024 * 1024);
    // The client may still be sending when the server closes: then it sees the reset instead of the answer.
    if ("status" in first) expect(first).toMatchObject({ status: 413, connection: "close" });
    else expect(["EPIPE", "ECONNRESET"]).toContain(first.error);
    expect(second).toMatchObject({ status: 200, reused: false });
    expect(second.ms).toBeLessThan(3_000);
  });
});
