import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inventoryLedger } from "@/db/schema";
import { createSku, createTenant } from "@/lib/testing/factories";
import { lockStock, moveStock } from "./stock";

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
    const ledger = await db.select().from(inventoryLedger).where(eq(inventoryLedger.skuId, sku.id));
    expect(ledger.map((l) => [l.kind, l.balance.onHand, l.balance.allocated])).toEqual([
      ["receive", 5, 0],
      ["allocate", 5, 3],
    ]);
  });
});
