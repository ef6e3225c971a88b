import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { call, expectAuthFailures, expectError, expectRateLimited } from "@/e2e/support/route-calls";
import { createTenant, createWarehouse } from "@/e2e/support/factories";
import * as warehouses from "./route";
import * as methods from "../shipping-methods/route";

/** Every item of a reference list, page by page (other tests add rows to the same environment meanwhile). */
async function walk(handler: typeof warehouses.GET, path: string, key: string, limit = 25) {
  const items: { id: string }[] = [];
  let cursor: string | null = null;
  // Generous: on a shared database every test tenant adds reference rows of the environment.
  for (let guard = 0; guard < 2000; guard++) {
    const res = await call(handler, `${path}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { key });
    expect(res.status).toBe(200);
    items.push(...res.body.data);
    if (!res.body.pagination.has_more) {
      expect(res.body.pagination.next_cursor).toBeNull();
      return items;
    }
    cursor = res.body.pagination.next_cursor;
  }
  throw new Error("pagination did not end");
}

describe("GET /v1/warehouses", () => {
  it("lists the warehouses of the key's environment in the guide's shape, never the other environment's", async () => {
    const t = await createTenant();
    const live = await createWarehouse(getDb(), "live", { name: "Live only DC" });
    const res = await call(warehouses.GET, "/v1/warehouses", { key: t.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("x-ratelimit-limit")).toBe("600");
    const listed = await walk(warehouses.GET, "/v1/warehouses", t.key, 200);
    const syd = listed.find((w) => w.id === t.warehouses.syd);
    expect(syd).toEqual({
      id: t.warehouses.syd,
      name: expect.stringContaining("Test DC"),
      code: expect.any(String),
      address: { address1: "1 Freight Rd", address2: null, city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    });
    expect(listed.map((w) => w.id)).toContain(t.warehouses.mel);
    expect(listed.map((w) => w.id)).not.toContain(live.id);

    const all = (await walk(warehouses.GET, "/v1/warehouses", t.key)).map((w) => w.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining([t.warehouses.syd, t.warehouses.mel]));
  });

  it("echoes a valid X-Request-Id and refuses unknown parameters, bad limits and tampered cursors", async () => {
    const t = await createTenant();
    const echoed = await call(warehouses.GET, "/v1/warehouses", { key: t.key, headers: { "x-request-id": "erp-trace-42" } });
    expect(echoed.headers.get("x-request-id")).toBe("erp-trace-42");
    expectError(await call(warehouses.GET, "/v1/warehouses?country=AU", { key: t.key }), 400, "invalid_parameter", "country");
    expectError(await call(warehouses.GET, "/v1/warehouses?limit=0", { key: t.key }), 400, "invalid_parameter", "limit");
    expectError(await call(warehouses.GET, "/v1/warehouses?limit=201", { key: t.key }), 400, "invalid_parameter", "limit");
    const page = await call(warehouses.GET, "/v1/warehouses?limit=1", { key: t.key });
    const tampered = page.body.pagination.next_cursor.replace(/^./, (c: string) => (c === "A" ? "B" : "A"));
    expectError(await call(warehouses.GET, `/v1/warehouses?cursor=${tampered}`, { key: t.key }), 400, "invalid_cursor", "cursor");
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await call(warehouses.POST, "/v1/warehouses", { method: "POST", body: {} });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("refuses missing, malformed, unknown and revoked keys, and warehouse keys", async () => {
    await expectAuthFailures(warehouses.GET, "/v1/warehouses", { tenant: await createTenant() });
  });

  it("rate limits per account", async () => {
    await expectRateLimited(warehouses.GET, "/v1/warehouses");
  });
});

describe("GET /v1/shipping-methods", () => {
  it("lists the methods of the key's environment in the guide's shape", async () => {
    const t = await createTenant();
    const other = await createTenant({ environment: "live" });
    const listed = await walk(methods.GET, "/v1/shipping-methods", t.key, 200);
    const ids = listed.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([t.shippingMethods.express, t.shippingMethods.parcel]));
    expect(ids).not.toContain(other.shippingMethods.express);
    expect(listed.find((m) => m.id === t.shippingMethods.parcel)).toEqual({
      id: t.shippingMethods.parcel,
      name: expect.stringContaining("Parcel Post"),
      carrier: "auspost",
      carrier_name: "Australia Post",
      service_code: "PP",
    });
    const all = (await walk(methods.GET, "/v1/shipping-methods", t.key)).map((m) => m.id);
    expect(all).toEqual(expect.arrayContaining([t.shippingMethods.express, t.shippingMethods.parcel]));
  });

  it("refuses bad parameters, bad keys and other methods", async () => {
    const t = await createTenant();
    expectError(await call(methods.GET, "/v1/shipping-methods?updated_since=2026-01-01T00:00:00Z", { key: t.key }), 400, "invalid_parameter", "updated_since");
    await expectAuthFailures(methods.GET, "/v1/shipping-methods", { tenant: t });
    const res = await call(methods.DELETE, "/v1/shipping-methods", { method: "DELETE" });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });
});
