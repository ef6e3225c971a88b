import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inventoryAdjustments, inventoryLedger, skus } from "@/db/schema";
import { createSku, createTenant, createWarehouse, type TestTenant } from "@/e2e/support/factories";
import { outboxOf } from "@/e2e/support/footprints";
import { recomputeFromLedger, stockOf } from "@/e2e/support/inventory";
import { placeTestOrder } from "@/e2e/support/orders";
import { call, expectAuthFailures, expectError, expectRateLimited } from "@/e2e/support/route-calls";
import { loadOrder } from "@/lib/orders/present";
import * as route from "./route";

const set = (t: TestTenant, body: unknown) => call(route.POST, "/v1/sandbox/inventory", { key: t.key, body });

async function adjustmentsOf(t: TestTenant) {
  return getDb().select().from(inventoryAdjustments).where(eq(inventoryAdjustments.accountId, t.accountId));
}

describe("POST /v1/sandbox/inventory", () => {
  it("creates a new SKU with stock, recorded as a cycle_count adjustment and in the ledger", async () => {
    const t = await createTenant();
    const res = await set(t, { sku: "NEW-SKU", warehouse_id: t.warehouses.syd, on_hand: 25 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sku: "NEW-SKU",
      updated_at: expect.any(String),
      warehouses: [{ warehouse_id: t.warehouses.syd, on_hand: 25, available: 25, allocated: 0, incoming: 0, backordered: 0 }],
    });
    const [sku] = await getDb().select().from(skus).where(and(eq(skus.accountId, t.accountId), eq(skus.sku, "NEW-SKU")));
    expect(sku.environment).toBe("sandbox");
    const [adj] = await adjustmentsOf(t);
    expect(adj).toMatchObject({ skuId: sku.id, warehouseId: t.warehouses.syd, quantityDelta: 25, reason: "cycle_count", source: "sandbox" });
    const ledger = await getDb().select().from(inventoryLedger).where(eq(inventoryLedger.skuId, sku.id));
    expect(ledger.map((l) => [l.kind, l.deltaOnHand, l.refId])).toEqual([["cycle_count", 25, adj.id]]);
    const events = await outboxOf(t, "inventory.adjusted");
    expect(events.map((e) => e.payload)).toEqual([
      { id: adj.id, sku: "NEW-SKU", warehouse_id: t.warehouses.syd, quantity_delta: 25, reason: "cycle_count", note: null, adjusted_at: adj.adjustedAt.toISOString() },
    ]);

    // Counting down records the signed difference; the same count again moves nothing.
    const down = await set(t, { sku: "NEW-SKU", warehouse_id: t.warehouses.syd, on_hand: 21 });
    expect(down.body.warehouses[0].on_hand).toBe(21);
    const same = await set(t, { sku: "NEW-SKU", warehouse_id: t.warehouses.syd, on_hand: 21 });
    expect(same.status).toBe(200);
    expect((await adjustmentsOf(t)).map((a) => a.quantityDelta).sort()).toEqual([-4, 25]);
  });

  it("allocates backordered orders first come first served when stock grows", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 1 });
    const older = await placeTestOrder(t, [{ sku: "BLUE", quantity: 3 }]);
    const younger = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
    expect([older.status, younger.status]).toEqual(["backordered", "backordered"]);
    expect(await stockOf(t, "BLUE")).toMatchObject({ backordered: 5 });

    const res = await set(t, { sku: "BLUE", warehouse_id: t.warehouses.syd, on_hand: 4 });
    expect(res.body.warehouses[0]).toMatchObject({ on_hand: 4, allocated: 3, available: 1, backordered: 2 });
    expect((await loadOrder(getDb(), t.ctx, older.id)).status).toBe("received");
    expect((await loadOrder(getDb(), t.ctx, younger.id)).status).toBe("backordered");
  });

  it("records on_hand below what is allocated: the newest orders that no longer fit are backordered", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    const kept = await placeTestOrder(t, [{ sku: "BLUE", quantity: 3 }]);
    const released = await placeTestOrder(t, [{ sku: "BLUE", quantity: 3 }]);
    const res = await set(t, { sku: "BLUE", warehouse_id: t.warehouses.syd, on_hand: 5 });
    expect(res.status).toBe(200);
    expect(res.body.warehouses[0]).toMatchObject({ on_hand: 5, allocated: 3, available: 2, backordered: 3 });
    expect((await loadOrder(getDb(), t.ctx, kept.id)).status).toBe("received");
    expect((await loadOrder(getDb(), t.ctx, released.id)).status).toBe("backordered");
    expect((await adjustmentsOf(t)).map((a) => [a.quantityDelta, a.reason])).toEqual([[-5, "cycle_count"]]);
    expect((await outboxOf(t, "order.updated")).map((e) => (e.payload as { id: string; status: string }).status)).toEqual(["backordered"]);
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
  });

  it("refuses unknown or other-environment warehouses and invalid bodies", async () => {
    const t = await createTenant();
    const liveWarehouse = await createWarehouse(getDb(), "live");
    expectError(await set(t, { sku: "X", warehouse_id: "wh_nope", on_hand: 1 }), 422, "invalid_warehouse", "warehouse_id");
    expectError(await set(t, { sku: "X", warehouse_id: liveWarehouse.id, on_hand: 1 }), 422, "invalid_warehouse", "warehouse_id");
    expectError(await set(t, { sku: "X", warehouse_id: t.warehouses.syd, on_hand: -1 }), 422, "validation_error", "on_hand");
    expectError(await set(t, { sku: "X", warehouse_id: t.warehouses.syd, on_hand: 1.5 }), 422, "validation_error", "on_hand");
    expectError(await set(t, { sku: "", warehouse_id: t.warehouses.syd, on_hand: 1 }), 422, "validation_error", "sku");
    expectError(await set(t, { sku: "X", warehouse_id: t.warehouses.syd }), 422, "validation_error", "on_hand");
    expectError(await set(t, { sku: "X", warehouse_id: t.warehouses.syd, on_hand: 1, reason: "found" }), 422, "validation_error", "reason");
    expectError(await call(route.POST, "/v1/sandbox/inventory", { method: "POST", key: t.key }), 415, "unsupported_media_type");
    expectError(await call(route.POST, "/v1/sandbox/inventory", { key: t.key, rawBody: "[", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    // Nothing was created by any of these.
    expect(await getDb().select().from(skus).where(eq(skus.accountId, t.accountId))).toEqual([]);
    const res = await call(route.GET, "/v1/sandbox/inventory", {});
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("refuses bad keys, live keys, and rate limits", async () => {
    const t = await createTenant();
    await expectAuthFailures(route.POST, "/v1/sandbox/inventory", { body: { sku: "X", warehouse_id: t.warehouses.syd, on_hand: 1 }, tenant: t, sandboxOnly: true });
    expect(await getDb().select().from(skus).where(eq(skus.accountId, t.accountId))).toEqual([]);
    await expectRateLimited(route.POST, "/v1/sandbox/inventory", { body: { sku: "X", warehouse_id: "wh_nope", on_hand: 1 } });
  });
});
