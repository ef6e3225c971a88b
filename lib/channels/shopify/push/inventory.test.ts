import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { metricSamples, shopifyInventoryPushes, skuMappings } from "@/db/schema";
import { setEnvForTests } from "@/lib/env";
import { moveStock } from "@/lib/inventory/stock";
import { METRIC } from "@/lib/metrics/record";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "@/e2e/support/shopify/fake-admin";
import { connectFakeShop, mapVariant, pushUntilSettled, TEST_LOCATION } from "@/e2e/support/shopify/fake-shop";
import { hubAvailable, runInventoryPush } from "./inventory";
import { reconcileConnection } from "./reconcile";

let fake: FakeShopifyAdmin;
let tenant: TestTenant;
let connection: Awaited<ReturnType<typeof connectFakeShop>>;

/** Runs this account's push rounds until every stock movement made so far is scanned and nothing is due. */
async function pushAll(): Promise<void> {
  await pushUntilSettled(() => runInventoryPush(getDb(), { accountId: tenant.accountId }), connection, "inventory");
}

async function adjust(skuId: string, delta: number, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await getDb().transaction((tx) => moveStock(tx, { ...tenant.ctx, source: "wms" }, { skuId, warehouseId: tenant.warehouses.syd, kind: "adjust", reason: "damaged", delta: { onHand: delta } }));
  }
}

/** A mapped SKU whose Shopify level starts equal to the hub's, synced once. */
async function syncedSku(name: string, onHand: number, options: { byVariant?: boolean } = {}) {
  const sku = await createSku(tenant, name, { [tenant.warehouses.syd]: onHand });
  const variant = fake.addVariant({ sku: `SH-${name}`, levels: { [TEST_LOCATION]: onHand } });
  const mapping = await mapVariant(tenant, { skuId: sku.id, channelSku: `SH-${name}`, variantId: options.byVariant === false ? null : variant.variantId });
  await pushAll();
  return { sku, variant, mapping };
}

function setsFor(inventoryItemId: string) {
  return fake.inventorySets.filter((c) => c.quantities.some((q) => q.inventoryItemId === inventoryItemId));
}

beforeAll(async () => {
  setEnvForTests({ SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS: "0,0" });
  fake = await startFakeShopifyAdmin();
  tenant = await createTenant();
  connection = await connectFakeShop(tenant, fake);
});

afterAll(async () => {
  await fake.stop();
});

describe("inventory push", () => {
  it("coalesces a burst of movements into one compare-and-swap push of the latest figure, and caches the inventory item", async () => {
    const { sku, variant, mapping } = await syncedSku("BURST-1", 50);
    expect(setsFor(variant.inventoryItemId)).toHaveLength(0); // already equal: nothing to send
    await adjust(sku.id, -1, 12);
    await pushAll();

    const sets = setsFor(variant.inventoryItemId);
    expect(sets).toHaveLength(1);
    expect(sets[0].outcome).toBe("applied");
    expect(sets[0].key).toMatch(/^[0-9a-f-]{36}$/);
    expect(sets[0].quantities).toEqual([{ inventoryItemId: variant.inventoryItemId, locationId: TEST_LOCATION, quantity: 38, changeFromQuantity: 50 }]);
    expect(fake.available(variant.inventoryItemId, TEST_LOCATION)).toBe(38);

    const [cached] = await getDb().select().from(skuMappings).where(eq(skuMappings.id, mapping.id));
    expect(cached.inventoryItemId).toBe(variant.inventoryItemId);
    const [row] = await getDb().select().from(shopifyInventoryPushes).where(eq(shopifyInventoryPushes.skuMappingId, mapping.id));
    expect(row).toMatchObject({ state: "synced", lastPushedQuantity: 38, dirtySince: null });
    const lags = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.inventorySyncLag));
    expect(lags.some((m) => m.labels.sku_id === sku.id && m.labels.location === TEST_LOCATION)).toBe(true);
  });

  it("looks the inventory item up by SKU when the mapping has no variant id", async () => {
    const { sku, variant, mapping } = await syncedSku("BYSKU-1", 10, { byVariant: false });
    await adjust(sku.id, 5);
    await pushAll();
    expect(fake.available(variant.inventoryItemId, TEST_LOCATION)).toBe(15);
    const [cached] = await getDb().select().from(skuMappings).where(eq(skuMappings.id, mapping.id));
    expect(cached.inventoryItemId).toBe(variant.inventoryItemId);
  });

  it("re-reads Shopify and retries when changeFromQuantity is stale, ending at the hub's figure", async () => {
    const { sku, variant } = await syncedSku("STALE-1", 20);
    fake.setAvailable(variant.inventoryItemId, TEST_LOCATION, 17); // a merchant edit the hub never saw
    await adjust(sku.id, -2);
    await pushAll();

    const sets = setsFor(variant.inventoryItemId);
    expect(sets.map((s) => s.outcome)).toEqual(["CHANGE_FROM_QUANTITY_STALE", "applied"]);
    expect(sets.map((s) => s.quantities[0].changeFromQuantity)).toEqual([20, 17]);
    expect(new Set(sets.map((s) => s.key)).size).toBe(2);
    expect(fake.available(variant.inventoryItemId, TEST_LOCATION)).toBe(18);
    expect(await hubAvailable(getDb(), sku.id, tenant.warehouses.syd)).toBe(18);
  });

  it("reconciliation finds drift on Shopify and corrects it; a pass checks changed SKUs plus a rolling slice, not everything", async () => {
    const a = await syncedSku("RECON-A", 30);
    const b = await syncedSku("RECON-B", 40);
    await reconcileConnection(getDb(), connection); // first pass: every row gets checked once
    fake.setAvailable(a.variant.inventoryItemId, TEST_LOCATION, 25);

    setEnvForTests({ SHOPIFY_RECONCILE_SLICE: "1000" });
    const pass = await reconcileConnection(getDb(), connection);
    expect(pass.drifted).toBe(1);
    await pushAll();
    expect(fake.available(a.variant.inventoryItemId, TEST_LOCATION)).toBe(30);
    expect(fake.available(b.variant.inventoryItemId, TEST_LOCATION)).toBe(40);
    const drift = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.inventoryDrift));
    expect(drift.some((m) => m.labels.sku_id === a.sku.id && m.value === 5)).toBe(true);

    // With a slice of 1, an idle pass re-reads one row; a moved SKU is always re-read on top of the slice.
    setEnvForTests({ SHOPIFY_RECONCILE_SLICE: "1" });
    expect((await reconcileConnection(getDb(), connection)).checked).toBe(1);
    await adjust(b.sku.id, -1);
    await pushAll();
    // Make B the most recently checked row, so only its movement can bring it into the next pass.
    await getDb().update(shopifyInventoryPushes).set({ lastReconciledAt: new Date(Date.now() + 3600_000) }).where(eq(shopifyInventoryPushes.skuMappingId, b.mapping.id));
    expect((await reconcileConnection(getDb(), connection)).checked).toBe(2);
    setEnvForTests({ SHOPIFY_RECONCILE_SLICE: undefined });
  });

  it("a variant not stocked at the location becomes a dead letter instead of retrying forever", async () => {
    const sku = await createSku(tenant, "NOLOC-1", { [tenant.warehouses.syd]: 3 });
    const variant = fake.addVariant({ sku: "SH-NOLOC-1", levels: {} });
    const mapping = await mapVariant(tenant, { skuId: sku.id, channelSku: "SH-NOLOC-1", variantId: variant.variantId });
    await pushAll();
    const [row] = await getDb().select().from(shopifyInventoryPushes).where(eq(shopifyInventoryPushes.skuMappingId, mapping.id));
    expect(row).toMatchObject({ state: "dead", lastErrorKind: "permanent" });
    expect(row.lastError).toContain("not stocked");
  });
});
