import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { settled } from "@/e2e/support/horizon";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { encodeCursor } from "@/lib/api/pagination";
import { createOrder } from "@/lib/orders/create";
import { GET } from "./route";

async function tenantWithStock(): Promise<TestTenant> {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
  return t;
}

const list = (t: TestTenant, query = "") => call(GET, `/v1/orders${query}`, { key: t.key });

/** Walks next_cursor until has_more is false; fails on a loop. */
async function walk(t: TestTenant, query: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res = await list(t, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.data.map((o: { id: string }) => o.id));
    if (!res.body.pagination.has_more) {
      expect(res.body.pagination.next_cursor).toBeNull();
      return ids;
    }
    cursor = res.body.pagination.next_cursor;
  }
  throw new Error("pagination did not end");
}

describe("GET /v1/orders", () => {
  it("lists the tenant's orders by updated_at then id, in the list envelope, with their shipments", async () => {
    const t = await tenantWithStock();
    const a = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }));
    const b = await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }));
    const res = await settled(() => list(t), (r) => r.body.data?.length === 2);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ next_cursor: null, has_more: false });
    expect(res.body.data.map((o: { id: string }) => o.id)).toEqual([a.order.id, b.order.id]);
    expect(res.body.data[0]).toEqual(a.order);
  });

  it("filters by status, order_number and reference, and by updated_since", async () => {
    const t = await tenantWithStock();
    const a = await createOrder(getDb(), t.ctx, orderBody(t, { order_number: "SO-A", items: [{ sku: "WIDGET", quantity: 1 }] }));
    const b = await createOrder(getDb(), t.ctx, orderBody(t, { order_number: "SO-B", items: [{ sku: "WIDGET", quantity: 500 }] }));
    const ids = (res: Awaited<ReturnType<typeof list>>) => res.body.data.map((o: { id: string }) => o.id);
    await settled(() => list(t), (r) => r.body.data?.length === 2);
    expect(ids(await list(t, "?status=backordered"))).toEqual([b.order.id]);
    expect(ids(await list(t, "?order_number=SO-A"))).toEqual([a.order.id]);
    expect(ids(await list(t, `?reference=${encodeURIComponent(b.order.reference)}`))).toEqual([b.order.id]);
    expect(ids(await list(t, `?updated_since=${encodeURIComponent(b.order.updated_at)}`))).toEqual([b.order.id]);
    expect(ids(await list(t, "?updated_since=2099-01-01T00:00:00Z"))).toEqual([]);
  });

  it("pages more than `limit` orders sharing one updated_at without repeats or loops", async () => {
    const t = await tenantWithStock();
    // One transaction: now() — hence updated_at — is the same for all seven.
    const created = await getDb().transaction(async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) out.push((await createOrder(tx, t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }))).order.id);
      return out;
    });
    const first = await settled(() => list(t, "?limit=3"), (r) => r.body.pagination?.has_more === true);
    expect(new Set(first.body.data.map((o: { updated_at: string }) => o.updated_at)).size).toBe(1);
    const ids = await settled(() => walk(t, "?limit=3"), (r) => r.length === 7);
    expect(ids).toEqual([...created].sort());
  });

  const bad: { name: string; query: string; status: number; code: string; field?: string }[] = [
    { name: "unknown parameter", query: "?stauts=received", status: 400, code: "invalid_parameter", field: "stauts" },
    { name: "unknown status", query: "?status=lost", status: 400, code: "invalid_parameter", field: "status" },
    { name: "limit 0", query: "?limit=0", status: 400, code: "invalid_parameter", field: "limit" },
    { name: "limit 201", query: "?limit=201", status: 400, code: "invalid_parameter", field: "limit" },
    { name: "limit not a number", query: "?limit=ten", status: 400, code: "invalid_parameter", field: "limit" },
    { name: "updated_since not a timestamp", query: "?updated_since=yesterday", status: 400, code: "invalid_parameter", field: "updated_since" },
    { name: "tampered cursor", query: `?cursor=${encodeCursor({ ts: "2026-01-01T00:00:00.000000Z", id: "ord_x" }).slice(0, -2)}xx`, status: 400, code: "invalid_cursor", field: "cursor" },
    { name: "garbage cursor", query: "?cursor=abc", status: 400, code: "invalid_cursor", field: "cursor" },
    { name: "repeated parameter", query: "?status=received&status=on_hold", status: 400, code: "invalid_parameter", field: "status" },
  ];
  it.each(bad)("$name → $status $code", async (c) => {
    const t = await tenantWithStock();
    expectError(await list(t, c.query), c.status, c.code, c.field);
  });
});
