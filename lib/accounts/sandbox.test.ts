import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { inventoryLevels, shippingMethods, skus, warehouses } from "@/db/schema";
import { recomputeFromLedger } from "@/e2e/support/inventory";
import { ensureReferenceData, provisionSandboxAccount, SANDBOX_STARTER_SKUS } from "@/lib/accounts/sandbox";
import { ensureAccount } from "@/lib/auth/api-keys";

// Reference warehouses are visible to every account of the environment; a database of its own keeps them out
// of the routing of other test files sharing the suite's PostgreSQL database.
let handle: DatabaseHandle;

beforeAll(async () => {
  // url "": embedded even when the suite runs on PostgreSQL.
  handle = createDatabase({ url: "", dataDir: "memory://" });
  await migrateDatabase(handle);
});

afterAll(async () => {
  await handle.close();
});

async function stock(accountId: string) {
  return handle.db
    .select({ sku: skus.sku, warehouse: warehouses.code, onHand: inventoryLevels.onHand })
    .from(inventoryLevels)
    .innerJoin(skus, eq(skus.id, inventoryLevels.skuId))
    .innerJoin(warehouses, eq(warehouses.id, inventoryLevels.warehouseId))
    .where(and(eq(skus.accountId, accountId), eq(skus.environment, "sandbox")))
    .orderBy(skus.sku, warehouses.code);
}

describe("sandbox reference data", () => {
  it("creates two warehouses and the shipping methods once, with exactly one default", async () => {
    await ensureReferenceData(handle.db, "sandbox");
    await ensureReferenceData(handle.db, "sandbox");
    const whs = await handle.db.select().from(warehouses).where(eq(warehouses.environment, "sandbox"));
    expect(whs.map((w) => [w.id, w.code, w.address.city]).sort()).toEqual([
      ["wh_test_mel_1", "MEL", "Melbourne"],
      ["wh_test_syd_1", "SYD", "Sydney"],
    ]);
    const methods = await handle.db.select().from(shippingMethods).where(eq(shippingMethods.environment, "sandbox"));
    expect(methods).toHaveLength(3);
    expect(methods.filter((m) => m.isDefault).map((m) => m.name)).toEqual(["Parcel Post"]);
    expect(methods.every((m) => m.trackingUrlTemplate?.includes("{tracking_number}"))).toBe(true);
    // The other environment is untouched.
    expect(await handle.db.select().from(warehouses).where(eq(warehouses.environment, "live"))).toEqual([]);
  });
});

describe("provisionSandboxAccount", () => {
  it("gives a new account starter SKUs with stock, and a second call adds nothing", async () => {
    const accountId = await ensureAccount(handle.db, "Provisioned Partner");
    const first = await provisionSandboxAccount(handle.db, accountId);
    expect(first.skusCreated.sort()).toEqual(SANDBOX_STARTER_SKUS.map((s) => s.sku).sort());
    const before = await stock(accountId);
    expect(before).toContainEqual({ sku: "WIDGET-BLUE-M", warehouse: "SYD", onHand: 120 });
    expect(before).toContainEqual({ sku: "TEE-BLACK-L", warehouse: "MEL", onHand: 35 });

    const [second, third] = await Promise.all([provisionSandboxAccount(handle.db, accountId), provisionSandboxAccount(handle.db, accountId)]);
    expect(second.skusCreated).toEqual([]);
    expect(third.skusCreated).toEqual([]);
    expect(await stock(accountId)).toEqual(before);
    expect(await recomputeFromLedger(handle.db, { accountId })).toEqual([]);
  });

  it("leaves an account that already has sandbox SKUs of its own alone", async () => {
    const accountId = await ensureAccount(handle.db, "Own Catalogue Partner");
    await handle.db.insert(skus).values({ id: "sku_own_1", accountId, environment: "sandbox", sku: "OWN-1" });
    expect(await provisionSandboxAccount(handle.db, accountId)).toEqual({ skusCreated: [] });
    const rows = await handle.db.select({ sku: skus.sku }).from(skus).where(eq(skus.accountId, accountId));
    expect(rows).toEqual([{ sku: "OWN-1" }]);
  });
});
