import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inventoryLevels, skus, type InventoryLevel, type Sku } from "@/db/schema";
import { changesPage, type FeedReader, type Pagination } from "@/lib/api/pagination";
import type { InventoryObject } from "./schema";
import { availableOf } from "./stock";

/** One SKU's stock as the API returns it; the SKU's updated_at is the clock of all its numbers. */
export function presentInventory(sku: Pick<Sku, "sku" | "updatedAt">, levels: InventoryLevel[]): InventoryObject {
  return {
    sku: sku.sku,
    updated_at: sku.updatedAt.toISOString(),
    warehouses: [...levels]
      .sort((a, b) => (a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0))
      .map((l) => ({
        warehouse_id: l.warehouseId,
        on_hand: l.onHand,
        available: availableOf(l),
        allocated: l.allocated,
        incoming: l.incoming,
        backordered: l.backordered,
      })),
  };
}

async function levelsBySku(db: DbOrTx, skuIds: string[], warehouseId?: string): Promise<Map<string, InventoryLevel[]>> {
  const out = new Map<string, InventoryLevel[]>();
  if (!skuIds.length) return out;
  const conditions = [inArray(inventoryLevels.skuId, skuIds)];
  if (warehouseId) conditions.push(eq(inventoryLevels.warehouseId, warehouseId));
  for (const level of await db.select().from(inventoryLevels).where(and(...conditions))) {
    const list = out.get(level.skuId);
    if (list) list.push(level);
    else out.set(level.skuId, [level]);
  }
  return out;
}

export type ListInventoryInput = { updatedSince?: string; cursor?: string; limit: number; sku?: string; warehouseId?: string };

/**
 * The tenant's SKUs whose stock changed since a point, each with its per-warehouse numbers, commit-safe like
 * every changes list. With warehouseId, each SKU's warehouses[] holds only that warehouse, and SKUs without a
 * stock record there are left out.
 */
export async function listInventory(db: DbOrTx, ctx: FeedReader, input: ListInventoryInput): Promise<{ data: InventoryObject[]; pagination: Pagination }> {
  const { rows, pagination } = await changesPage(db, skus, ctx, input, [
    input.sku ? eq(skus.sku, input.sku) : undefined,
    input.warehouseId
      ? sql`exists (select 1 from ${inventoryLevels} where ${inventoryLevels.skuId} = ${skus.id} and ${inventoryLevels.warehouseId} = ${input.warehouseId})`
      : undefined,
  ]);
  const levels = await levelsBySku(
    db,
    rows.map((sku) => sku.id),
    input.warehouseId,
  );
  return { data: rows.map((sku) => presentInventory(sku, levels.get(sku.id) ?? [])), pagination };
}

/** One SKU's inventory object, read inside the caller's transaction (after a change, for the response). */
export async function loadInventory(db: DbOrTx, skuId: string): Promise<InventoryObject> {
  const [sku] = await db.select().from(skus).where(eq(skus.id, skuId));
  const levels = await levelsBySku(db, [skuId]);
  return presentInventory(sku, levels.get(skuId) ?? []);
}
