import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { skus, warehouses, type Sku } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { releaseBackorders } from "@/lib/orders/backorders";
import { lockForCount, raiseCountBelowPicked, rehomeAfterCount, releaseForCount } from "@/lib/orders/recount";
import { recordAdjustment } from "./adjustments";
import { loadInventory } from "./list";
import type { AdjustmentObject, AdjustmentReason, InventoryObject } from "./schema";
import { moveStock, stockKey } from "./stock";

export type AdjustStockInput = {
  sku: string;
  warehouseId: string;
  /** Either the counted absolute on_hand, or a signed change of it. */
  change: { onHand: number } | { delta: number };
  reason: AdjustmentReason;
  note?: string | null;
  occurredAt?: Date;
  /** Sandbox: a SKU the account does not have yet is created instead of refused. */
  createSku?: boolean;
};

export type AdjustStockResult = {
  /** Null when the count matched what was recorded: nothing moved. */
  adjustment: AdjustmentObject | null;
  inventory: InventoryObject;
  skuId: string;
  /** Backordered orders allocated because units became available, oldest first. */
  releasedOrderIds: string[];
  /** Unpicked orders whose allocations a count below them took back: backordered where they were, or re-routed. */
  rebalanced: { backordered: string[]; rerouted: string[] };
  /** The count was below the units picked for orders in progress: on_hand kept at those, an exception raised. */
  belowPicked: boolean;
};

async function findOrCreateSku(tx: DbOrTx, ctx: DomainContext, sku: string, create: boolean): Promise<Sku> {
  const scope = and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), eq(skus.sku, sku));
  const [found] = await tx.select().from(skus).where(scope);
  if (found) return found;
  if (!create) throw new DomainError("unknown_sku", `SKU '${sku}' is not a SKU of this account.`, "sku");
  await tx.insert(skus).values({ id: newId("sku"), accountId: ctx.accountId, environment: ctx.environment, sku }).onConflictDoNothing();
  const [row] = await tx.select().from(skus).where(scope);
  return row;
}

/**
 * A stock change outside any order (cycle count, damage, found, lost…): on_hand moves through the ledger and
 * the partner-visible adjustment records the signed delta and its reason, in the caller's transaction.
 *
 * A physical count is the truth, so it is recorded even below what is allocated; what no longer fits is re-balanced
 * in the same transaction (lib/orders/recount.ts): allocations of orders the warehouse has not started are released,
 * newest first, until the rest fits; those orders are re-routed by the account's rules or backordered, each with a
 * timeline entry, an exception and order.updated. Picked units are never taken back: when they alone exceed the
 * count, on_hand stays at what is picked and the discrepancy is raised as an exception. Only a count below zero is
 * refused. When units become available (on_hand grows, or a released order freed other SKUs), backordered orders
 * waiting for them at that warehouse are allocated in the same transaction, first come first served.
 */
export async function adjustStock(tx: DbOrTx, ctx: DomainContext, input: AdjustStockInput): Promise<AdjustStockResult> {
  const field = "onHand" in input.change ? "on_hand" : "quantity_delta";
  const [warehouse] = await tx
    .select({ id: warehouses.id, name: warehouses.name })
    .from(warehouses)
    .where(and(eq(warehouses.id, input.warehouseId), eq(warehouses.environment, ctx.environment)));
  if (!warehouse) throw new DomainError("invalid_warehouse", `warehouse_id '${input.warehouseId}' is not a known warehouse.`, "warehouse_id");
  const sku = await findOrCreateSku(tx, ctx, input.sku, input.createSku ?? false);

  const key = { skuId: sku.id, warehouseId: warehouse.id };
  const change = input.change;
  const counted = await lockForCount(tx, ctx, key, (level) => ("onHand" in change ? change.onHand : level.onHand + change.delta));
  const { level, target } = counted;
  if (target < 0) {
    throw new DomainError("validation_error", `on_hand of SKU '${sku.sku}' is ${level.onHand}; it cannot fall below zero.`, field, { on_hand: level.onHand });
  }
  // Picked units stay on hand until they ship, whatever the count says: the books cannot hold less than is allocated.
  const onHand = Math.max(target, counted.allocatedAfter);
  const delta = onHand - level.onHand;
  const belowPicked = onHand > target;
  if (delta === 0 && !belowPicked) {
    return { adjustment: null, inventory: await loadInventory(tx, sku.id), skuId: sku.id, releasedOrderIds: [], rebalanced: { backordered: [], rerouted: [] }, belowPicked };
  }

  const freed = await releaseForCount(tx, ctx, counted.release);
  const id = newId("adj");
  const adjustedAt = input.occurredAt ?? new Date();
  let adjustment: AdjustmentObject | null = null;
  if (delta !== 0) {
    await moveStock(tx, ctx, {
      ...key,
      kind: input.reason === "cycle_count" ? "cycle_count" : "adjust",
      reason: input.reason,
      delta: { onHand: delta },
      refType: "adjustment",
      refId: id,
      occurredAt: adjustedAt,
    });
    const held = belowPicked ? `Counted ${target}; ${onHand} unit(s) are picked for orders in progress and stay on hand until they ship.` : null;
    const note = [input.note, held].filter(Boolean).join(" ") || null;
    adjustment = await recordAdjustment(tx, ctx, { id, ...key, sku: sku.sku, quantityDelta: delta, reason: input.reason, note, adjustedAt });
  }
  const facts = { key, sku: sku.sku, warehouseName: warehouse.name, counted: target, allocated: level.allocated, adjustmentId: adjustment?.id ?? null };
  const rebalanced = await rehomeAfterCount(tx, ctx, counted.release, facts);
  if (belowPicked) await raiseCountBelowPicked(tx, ctx, { ...facts, picked: onHand });

  const offered = delta > 0 || counted.release.length ? [key, ...freed.filter((k) => stockKey(k) !== stockKey(key))] : [];
  const releasedOrderIds: string[] = [];
  for (const k of offered) releasedOrderIds.push(...(await releaseBackorders(tx, ctx, k)));
  return { adjustment, inventory: await loadInventory(tx, sku.id), skuId: sku.id, releasedOrderIds, rebalanced, belowPicked };
}
