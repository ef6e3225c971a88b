import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inventoryLedger, inventoryLevels, skus } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { lockStock, moveStock, moveStocks } from "./stock";

describe("moveStock", () => {
  it("applies deltas, records balances in the ledger, and refuses to oversell", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET-1", { [t.warehouses.syd]: 5 });
    const db = getDb();
    const level = await db.transaction(async (tx) => {
      await lockStock(tx, t.ctx, [{ skuId: sku.id, warehouseId: t.warehouses.syd }]);
      return moveStock(tx, t.ctx, { skuId: sku.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 3 } });
    });
    expect(level).toMatchObject({ onHand: 5, allocated: 3 });
    await expect(
      db.transaction((tx) => moveStock(tx, t.ctx, { skuId: sku.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 3 } })),
    ).rejects.toThrow();
    const ledger = await db.select().from(inventoryLedger).where(eq(inventoryLedger.skuId, sku.id)).orderBy(asc(inventoryLedger.id));
    expect(ledger.map((l) => [l.kind, l.balance.onHand, l.balance.allocated])).toEqual([
      ["receive", 5, 0],
      ["allocate", 5, 3],
    ]);
  });

  it("moves many rows in one call: movements on one row apply in order, each ledger row with its own balance", async () => {
    const t = await createTenant();
    const a = await createSku(t, "BATCH-A", { [t.warehouses.syd]: 10 });
    const b = await createSku(t, "BATCH-B", { [t.warehouses.syd]: 4 });
    const db = getDb();
    const [before] = await db.select({ updatedAt: skus.updatedAt }).from(skus).where(eq(skus.id, a.id));
    const balances = await db.transaction(async (tx) => {
      await lockStock(tx, t.ctx, [
        { skuId: a.id, warehouseId: t.warehouses.syd },
        { skuId: b.id, warehouseId: t.warehouses.syd },
      ]);
      return moveStocks(tx, t.ctx, [
        { skuId: a.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 3 }, refType: "order", refId: "ord_1" },
        { skuId: b.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 4 }, refType: "order", refId: "ord_1" },
        { skuId: a.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 2 }, refType: "order", refId: "ord_2" },
        { skuId: a.id, warehouseId: t.warehouses.syd, kind: "release", delta: { allocated: -1 }, refType: "order", refId: "ord_1" },
      ]);
    });
    expect([...balances.values()].map((x) => [x.onHand, x.allocated]).sort()).toEqual([
      [10, 4],
      [4, 4],
    ]);
    const ledger = await db.select().from(inventoryLedger).where(eq(inventoryLedger.skuId, a.id)).orderBy(asc(inventoryLedger.id));
    expect(ledger.map((l) => [l.kind, l.refId, l.deltaAllocated, l.balance.allocated])).toEqual([
      ["receive", null, 0, 0],
      ["allocate", "ord_1", 3, 3],
      ["allocate", "ord_2", 2, 5],
      ["release", "ord_1", -1, 4],
    ]);
    const [level] = await db.select().from(inventoryLevels).where(eq(inventoryLevels.skuId, a.id));
    expect([level.onHand, level.allocated]).toEqual([10, 4]);
    // The SKU's inventory clock moved with its stock.
    const [after] = await db.select({ updatedAt: skus.updatedAt }).from(skus).where(eq(skus.id, a.id));
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
  });

  it("refuses a batch that would oversell any row, changing nothing", async () => {
    const t = await createTenant();
    const a = await createSku(t, "BATCH-C", { [t.warehouses.syd]: 2 });
    const b = await createSku(t, "BATCH-D", { [t.warehouses.syd]: 5 });
    const db = getDb();
    await expect(
      db.transaction((tx) =>
        moveStocks(tx, t.ctx, [
          { skuId: b.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 1 } },
          { skuId: a.id, warehouseId: t.warehouses.syd, kind: "allocate", delta: { allocated: 3 } },
        ]),
      ),
    ).rejects.toThrow();
    const levels = await db.select().from(inventoryLevels).where(eq(inventoryLevels.warehouseId, t.warehouses.syd));
    expect(levels.filter((l) => l.skuId === a.id || l.skuId === b.id).map((l) => l.allocated)).toEqual([0, 0]);
    const ledger = await db.select().from(inventoryLedger).where(eq(inventoryLedger.kind, "allocate"));
    expect(ledger.filter((l) => l.skuId === a.id || l.skuId === b.id)).toEqual([]);
  });

  it("creates a stock row that does not exist yet (first receipt of a SKU at a warehouse)", async () => {
    const t = await createTenant();
    const a = await createSku(t, "BATCH-E");
    const db = getDb();
    const balance = await db.transaction((tx) =>
      moveStock(tx, t.ctx, { skuId: a.id, warehouseId: t.warehouses.mel, kind: "receive", reason: "received", delta: { onHand: 7 } }),
    );
    expect(balance).toMatchObject({ onHand: 7, allocated: 0 });
    const [level] = await db.select().from(inventoryLevels).where(eq(inventoryLevels.skuId, a.id));
    expect([level.warehouseId, level.onHand]).toEqual([t.warehouses.mel, 7]);
  });
});
