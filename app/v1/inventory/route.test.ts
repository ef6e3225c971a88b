import { and, eq, ne, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inventoryLevels, skus } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { call, expectAuthFailures, expectError, expectRateLimited } from "@/e2e/support/route-calls";
import { GET, POST } from "./route";

type Inv = { sku: string; updated_at: string; warehouses: { warehouse_id: string; on_hand: number; available: number; allocated: number; incoming: number; backordered: number }[] };

describe("GET /v1/inventory", () => {
  it("returns one object per SKU with per-warehouse numbers; available = on_hand − allocated, floor 0", async () => {
    const t = await createTenant();
    const blue = await createSku(t, "BLUE", { [t.warehouses.syd]: 120, [t.warehouses.mel]: 40 });
    await createSku(t, "RED", { [t.warehouses.mel]: 7 });
    await getDb()
      .update(inventoryLevels)
      .set({ allocated: 24, incoming: 30, backordered: 5 })
      .where(and(eq(inventoryLevels.skuId, blue.id), eq(inventoryLevels.warehouseId, t.warehouses.syd)));
    const res = await call(GET, "/v1/inventory", { key: t.key });
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ next_cursor: null, has_more: false });
    const bySku = new Map<string, Inv>(res.body.data.map((i: Inv) => [i.sku, i]));
    expect([...bySku.keys()].sort()).toEqual(["BLUE", "RED"]);
    const wh = (s: string, w: string) => bySku.get(s)!.warehouses.find((x) => x.warehouse_id === w);
    expect(wh("BLUE", t.warehouses.syd)).toEqual({ warehouse_id: t.warehouses.syd, on_hand: 120, available: 96, allocated: 24, incoming: 30, backordered: 5 });
    expect(wh("BLUE", t.warehouses.mel)).toEqual({ warehouse_id: t.warehouses.mel, on_hand: 40, available: 40, allocated: 0, incoming: 0, backordered: 0 });
    expect(bySku.get("RED")!.warehouses).toHaveLength(1);
    expect(bySku.get("BLUE")!.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it("filters by sku and by warehouse_id (narrowing warehouses[] and omitting SKUs with no row there)", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 5, [t.warehouses.mel]: 6 });
    await createSku(t, "RED", { [t.warehouses.mel]: 7 });
    await createSku(t, "GREEN");
    const bySku = await call(GET, "/v1/inventory?sku=RED", { key: t.key });
    expect(bySku.body.data.map((i: Inv) => i.sku)).toEqual(["RED"]);
    const atSyd = await call(GET, `/v1/inventory?warehouse_id=${t.warehouses.syd}`, { key: t.key });
    expect(atSyd.body.data).toEqual([{ sku: "BLUE", updated_at: expect.any(String), warehouses: [expect.objectContaining({ warehouse_id: t.warehouses.syd, on_hand: 5 })] }]);
    const all = await call(GET, "/v1/inventory", { key: t.key });
    expect(all.body.data.find((i: Inv) => i.sku === "GREEN")).toEqual({ sku: "GREEN", updated_at: expect.any(String), warehouses: [] });
    const nowhere = await call(GET, "/v1/inventory?warehouse_id=wh_nope", { key: t.key });
    expect(nowhere.body.data).toEqual([]);
  });

  it("never shows another account's or environment's SKUs", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const live = await createTenant({ environment: "live", name: undefined });
    await createSku(other, "THEIRS", { [other.warehouses.syd]: 1 });
    await createSku(live, "LIVE-ONLY", { [live.warehouses.syd]: 1 });
    await createSku(t, "MINE", { [t.warehouses.syd]: 1 });
    const res = await call(GET, "/v1/inventory?limit=200", { key: t.key });
    expect(res.body.data.map((i: Inv) => i.sku)).toEqual(["MINE"]);
    expect((await call(GET, "/v1/inventory?sku=THEIRS", { key: t.key })).body.data).toEqual([]);
  });

  it("pages by cursor in updated_at order and honours updated_since", async () => {
    const t = await createTenant();
    for (const s of ["A", "B", "C", "D", "E"]) await createSku(t, s, { [t.warehouses.syd]: 1 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof call>> = await call(GET, `/v1/inventory?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key: t.key });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((i: Inv) => i.sku));
      cursor = res.body.pagination.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["A", "B", "C", "D", "E"]);

    // Move every clock but C's back: only C is newer than the others.
    await getDb()
      .update(skus)
      .set({ updatedAt: sql`now() - interval '1 minute'` })
      .where(and(eq(skus.accountId, t.accountId), ne(skus.sku, "C")));
    const [c] = await getDb().select().from(skus).where(and(eq(skus.accountId, t.accountId), eq(skus.sku, "C")));
    const since = await call(GET, `/v1/inventory?updated_since=${encodeURIComponent(c.updatedAt.toISOString())}`, { key: t.key });
    expect(since.body.data.map((i: Inv) => i.sku)).toEqual(["C"]);
  });

  it("refuses bad parameters and cursors with the envelope", async () => {
    const t = await createTenant();
    expectError(await call(GET, "/v1/inventory?warehouse=wh_1", { key: t.key }), 400, "invalid_parameter", "warehouse");
    expectError(await call(GET, "/v1/inventory?updated_since=yesterday", { key: t.key }), 400, "invalid_parameter", "updated_since");
    expectError(await call(GET, "/v1/inventory?limit=abc", { key: t.key }), 400, "invalid_parameter", "limit");
    expectError(await call(GET, "/v1/inventory?sku=A&sku=B", { key: t.key }), 400, "invalid_parameter", "sku");
    expectError(await call(GET, "/v1/inventory?cursor=eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA", { key: t.key }), 400, "invalid_cursor", "cursor");
    const res = await call(POST, "/v1/inventory", { body: {} });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("refuses bad keys and rate limits", async () => {
    await expectAuthFailures(GET, "/v1/inventory", { tenant: await createTenant() });
    await expectRateLimited(GET, "/v1/inventory");
  });
});
