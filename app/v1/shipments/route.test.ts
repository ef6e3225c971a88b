import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { accounts, shipments } from "@/db/schema";
import { createShipment } from "@/lib/shipments/ship";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx, type TestTenant } from "@/e2e/support/factories";
import { call, expectAuthFailures, expectError, expectRateLimited } from "@/e2e/support/route-calls";
import * as one from "./[id]/route";
import * as list from "./route";

async function shipmentsFor(t: TestTenant, count: number) {
  await createSku(t, "BLUE", { [t.warehouses.syd]: 1000 });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 1 }]);
    const { shipment } = await inTransaction(getDb(), (tx) => createShipment(tx, sandboxCtx(t), { orderId: order.id }));
    ids.push(shipment.id);
  }
  return ids;
}

describe("GET /v1/shipments", () => {
  it("walks every shipment once across pages, oldest change first, each with parcels and items", async () => {
    const t = await createTenant();
    const ids = await shipmentsFor(t, 5);
    // Rows written in one transaction share updated_at: the id breaks the tie, the cursor keeps microseconds.
    await getDb().update(shipments).set({ updatedAt: sql`date_trunc('second', now())` }).where(inArray(shipments.id, ids));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof call>> = await call(list.GET, `/v1/shipments?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key: t.key });
      expect(res.status).toBe(200);
      for (const s of res.body.data) {
        expect(s.parcels).toHaveLength(1);
        expect(s.items).toEqual([{ sku: "BLUE", quantity: 1 }]);
      }
      seen.push(...res.body.data.map((s: { id: string }) => s.id));
      cursor = res.body.pagination.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual([...ids].sort());
    expect(pages).toBe(3);

    // A page that ends exactly at the last shipment has nothing more; the headers are every response's.
    const exact = await call(list.GET, "/v1/shipments?limit=5", { key: t.key, headers: { "x-request-id": "req-exact-page" } });
    expect(exact.body.data.map((s: { id: string }) => s.id)).toEqual([...ids].sort());
    expect(exact.body.pagination).toEqual({ next_cursor: null, has_more: false });
    expect(exact.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(exact.headers.get("x-request-id")).toBe("req-exact-page");
    expect(exact.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
    const single = await call(one.GET, `/v1/shipments/${ids[0]}`, { key: t.key, params: { id: ids[0] } });
    expect(exact.body.data.find((s: { id: string }) => s.id === ids[0])).toEqual(single.body);
  });

  it("honours updated_since and never lists another account's or environment's shipments", async () => {
    const t = await createTenant();
    const [a, b] = await shipmentsFor(t, 2);
    await getDb().update(shipments).set({ updatedAt: sql`now() - interval '1 hour'` }).where(eq(shipments.id, a));
    const [row] = await getDb().select().from(shipments).where(eq(shipments.id, b));
    const since = await call(list.GET, `/v1/shipments?updated_since=${encodeURIComponent(row.updatedAt.toISOString())}`, { key: t.key });
    expect(since.body.data.map((s: { id: string }) => s.id)).toEqual([b]);

    const stranger = await createTenant();
    expect((await call(list.GET, "/v1/shipments", { key: stranger.key })).body.data).toEqual([]);
    const [account] = await getDb().select().from(accounts).where(eq(accounts.id, t.accountId));
    const live = await createTenant({ environment: "live", name: account.name });
    expect((await call(list.GET, "/v1/shipments", { key: live.key })).body.data).toEqual([]);
  });

  it("starts after the cursor or at updated_since, whichever is later, and filters by order", async () => {
    const t = await createTenant();
    const ids = await shipmentsFor(t, 4);
    // One minute apart, in id order.
    for (const [i, id] of ids.entries()) {
      await getDb().update(shipments).set({ updatedAt: new Date(Date.UTC(2026, 2, 1, 10, i + 1)) }).where(eq(shipments.id, id));
    }
    const idsOf = (res: Awaited<ReturnType<typeof call>>) => res.body.data.map((s: { id: string }) => s.id);
    const first = await call(list.GET, "/v1/shipments?limit=1&updated_since=2026-03-01T09:00:00Z", { key: t.key });
    expect(idsOf(first)).toEqual([ids[0]]);
    const cursor = encodeURIComponent(first.body.pagination.next_cursor);
    // The cursor is earlier than updated_since: the page starts at updated_since.
    const later = await call(list.GET, `/v1/shipments?limit=10&updated_since=2026-03-01T10:03:00Z&cursor=${cursor}`, { key: t.key });
    expect(idsOf(later)).toEqual([ids[2], ids[3]]);
    // updated_since is earlier than the cursor: the page starts after the cursor.
    const after = await call(list.GET, `/v1/shipments?limit=10&updated_since=2026-03-01T09:00:00Z&cursor=${cursor}`, { key: t.key });
    expect(idsOf(after)).toEqual([ids[1], ids[2], ids[3]]);

    const [shipment] = await getDb().select().from(shipments).where(eq(shipments.id, ids[1]));
    const byOrder = await call(list.GET, `/v1/shipments?order_id=${shipment.orderId}&updated_since=2026-03-01T09:00:00Z`, { key: t.key });
    expect(idsOf(byOrder)).toEqual([ids[1]]);
  });

  it("refuses unknown and malformed parameters, and tampered cursors", async () => {
    const t = await createTenant();
    await shipmentsFor(t, 2);
    expectError(await call(list.GET, "/v1/shipments?updatedsince=2026-01-01T00:00:00Z", { key: t.key }), 400, "invalid_parameter", "updatedsince");
    expectError(await call(list.GET, "/v1/shipments?updated_since=2026-13-01", { key: t.key }), 400, "invalid_parameter", "updated_since");
    expectError(await call(list.GET, "/v1/shipments?limit=500", { key: t.key }), 400, "invalid_parameter", "limit");
    const page = await call(list.GET, "/v1/shipments?limit=1", { key: t.key });
    const [payload, mac] = page.body.pagination.next_cursor.split(".");
    const forged = Buffer.from(JSON.stringify(["2000-01-01T00:00:00.000000Z", ""])).toString("base64url");
    expectError(await call(list.GET, `/v1/shipments?cursor=${forged}.${mac}`, { key: t.key }), 400, "invalid_cursor", "cursor");
    expectError(await call(list.GET, `/v1/shipments?cursor=${payload}`, { key: t.key }), 400, "invalid_cursor", "cursor");
    expectError(await call(list.GET, "/v1/shipments?cursor=garbage", { key: t.key }), 400, "invalid_cursor", "cursor");
  });

  it("refuses bad keys, other methods, and rate limits", async () => {
    await expectAuthFailures(list.GET, "/v1/shipments", { tenant: await createTenant() });
    const res = await call(list.POST, "/v1/shipments", { body: {} });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
    await expectRateLimited(list.GET, "/v1/shipments");
  });
});

describe("GET /v1/shipments/{id}", () => {
  it("returns the tenant's shipment and 404 for anyone else's", async () => {
    const t = await createTenant();
    const [id] = await shipmentsFor(t, 1);
    const res = await call(one.GET, `/v1/shipments/${id}`, { key: t.key, params: { id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: "shipped", voided: false, items: [{ sku: "BLUE", quantity: 1 }] });
    expect(Object.keys(res.body).sort()).toEqual(
      ["cost", "created_at", "id", "items", "order_id", "order_number", "parcels", "shipped_at", "status", "updated_at", "voided", "warehouse_id"].sort(),
    );
    const stranger = await createTenant();
    expectError(await call(one.GET, `/v1/shipments/${id}`, { key: stranger.key, params: { id } }), 404, "not_found");
    const [account] = await getDb().select().from(accounts).where(eq(accounts.id, t.accountId));
    const live = await createTenant({ environment: "live", name: account.name });
    expectError(await call(one.GET, `/v1/shipments/${id}`, { key: live.key, params: { id } }), 404, "not_found");
    expectError(await call(one.GET, "/v1/shipments/shp_nope", { key: t.key, params: { id: "shp_nope" } }), 404, "not_found");
  });

  it("refuses bad keys and other methods", async () => {
    const t = await createTenant();
    await expectAuthFailures(one.GET, "/v1/shipments/shp_x", { params: { id: "shp_x" }, tenant: t });
    const res = await call(one.DELETE, "/v1/shipments/shp_x", { method: "DELETE" });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });
});
