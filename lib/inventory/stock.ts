import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inventoryLedger, inventoryLevels, skus, type InventoryLevel, type StockBalance } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";

export type StockKey = { skuId: string; warehouseId: string };
export type StockDelta = Partial<StockBalance>;
export type LedgerKind = (typeof inventoryLedger.$inferInsert)["kind"];

export const stockKey = (k: StockKey) => `${k.skuId}|${k.warehouseId}`;

/** Sellable now: on_hand − allocated, never below zero. */
export function availableOf(level: Pick<InventoryLevel, "onHand" | "allocated">): number {
  return Math.max(0, level.onHand - level.allocated);
}

/**
 * Locks the stock rows of the given SKUs at the given warehouses (creating empty rows first), always in the
 * same order, and returns them. Every flow that decides on stock (allocate, release backorders, ship) locks
 * first and decides on the locked numbers: no concurrent transaction can act on the same units in between.
 */
export async function lockStock(tx: DbOrTx, ctx: Pick<DomainContext, "accountId" | "environment">, keys: StockKey[]): Promise<Map<string, InventoryLevel>> {
  const unique = [...new Map(keys.map((k) => [stockKey(k), k])).values()].sort((a, b) => (stockKey(a) < stockKey(b) ? -1 : 1));
  if (!unique.length) return new Map();
  await tx
    .insert(inventoryLevels)
    .values(unique.map((k) => ({ id: newId("inv"), accountId: ctx.accountId, environment: ctx.environment, skuId: k.skuId, warehouseId: k.warehouseId })))
    .onConflictDoNothing();
  const skuIds = [...new Set(unique.map((k) => k.skuId))];
  const warehouseIds = [...new Set(unique.map((k) => k.warehouseId))];
  const rows = await tx
    .select()
    .from(inventoryLevels)
    .where(and(inArray(inventoryLevels.skuId, skuIds), inArray(inventoryLevels.warehouseId, warehouseIds)))
    .orderBy(inventoryLevels.skuId, inventoryLevels.warehouseId)
    .for("update");
  const wanted = new Set(unique.map(stockKey));
  return new Map(rows.filter((r) => wanted.has(stockKey(r))).map((r) => [stockKey(r), r]));
}

export type Movement = StockKey & {
  kind: LedgerKind;
  delta: StockDelta;
  reason?: string | null;
  refType?: string | null;
  refId?: string | null;
  occurredAt?: Date;
};

/**
 * The one way stock numbers change: applies the deltas, records the movement and the balances it produced in
 * the ledger, and moves the SKU's inventory clock. The table's CHECKs refuse any result that would oversell or
 * go negative, so a caller's mistake fails the transaction instead of corrupting stock.
 */
export async function moveStock(tx: DbOrTx, ctx: DomainContext, movement: Movement): Promise<InventoryLevel> {
  const d = movement.delta;
  await tx
    .insert(inventoryLevels)
    .values({ id: newId("inv"), accountId: ctx.accountId, environment: ctx.environment, skuId: movement.skuId, warehouseId: movement.warehouseId })
    .onConflictDoNothing();
  const [level] = await tx
    .update(inventoryLevels)
    .set({
      onHand: sql`${inventoryLevels.onHand} + ${d.onHand ?? 0}`,
      allocated: sql`${inventoryLevels.allocated} + ${d.allocated ?? 0}`,
      incoming: sql`${inventoryLevels.incoming} + ${d.incoming ?? 0}`,
      backordered: sql`${inventoryLevels.backordered} + ${d.backordered ?? 0}`,
      quarantined: sql`${inventoryLevels.quarantined} + ${d.quarantined ?? 0}`,
    })
    .where(and(eq(inventoryLevels.skuId, movement.skuId), eq(inventoryLevels.warehouseId, movement.warehouseId)))
    .returning();
  await tx.insert(inventoryLedger).values({
    id: newId("led"),
    accountId: ctx.accountId,
    environment: ctx.environment,
    skuId: movement.skuId,
    warehouseId: movement.warehouseId,
    kind: movement.kind,
    reason: movement.reason ?? null,
    source: ctx.source,
    refType: movement.refType ?? null,
    refId: movement.refId ?? null,
    deltaOnHand: d.onHand ?? 0,
    deltaAllocated: d.allocated ?? 0,
    deltaIncoming: d.incoming ?? 0,
    deltaBackordered: d.backordered ?? 0,
    deltaQuarantined: d.quarantined ?? 0,
    balance: { onHand: level.onHand, allocated: level.allocated, incoming: level.incoming, backordered: level.backordered, quarantined: level.quarantined },
    occurredAt: movement.occurredAt ?? new Date(),
  });
  // The inventory object's updated_at is the SKU's: once per transaction is enough.
  await tx.update(skus).set({ updatedAt: sql`now()` }).where(and(eq(skus.id, movement.skuId), ne(skus.updatedAt, sql`now()`)));
  return level;
}
