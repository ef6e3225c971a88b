import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { skus, warehouses, type Sku } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { releaseBackorders } from "@/lib/orders/backorders";
import { recordAdjustment, type AdjustmentObject, type AdjustmentReason } from "./adjustments";
import { loadInventory, type InventoryObject } from "./list";
import { lockStock, moveStock, stockKey } from "./stock";

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
  /** Backordered orders allocated because on_hand grew, oldest first. */
  releasedOrderIds: string[];
};

async function findOrCreateSku(tx: DbOrTx, ctx: DomainContext, sku: string, create: boolean): Promise<Sku> {
  const scope = and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), eq(skus.sku, sku));
  const [found] = await tx.select().from(skus).where(scope);
  if (found) return found;
  if (!create) throw new ApiError("unknown_sku", `SKU '${sku}' is not a SKU of this account.`, "sku");
  await tx.insert(skus).values({ id: newId("sku"), accountId: ctx.accountId, environment: ctx.environment, sku }).onConflictDoNothing();
  const [row] = await tx.select().from(skus).where(scope);
  return row;
}

/**
 * A stock change outside any order (cycle count, damage, found, lost…): on_hand moves through the ledger and
 * the partner-visible adjustment records the signed delta and its reason, in the caller's transaction.
 * on_hand may not fall below what is reserved for orders (allocated): those units are promised, and a count
 * below them must be resolved by cancelling or re-routing orders first, not by silently overselling.
 * When on_hand grows, backordered orders waiting for the SKU at that warehouse are allocated in the same
 * transaction, first come first served.
 */
export async function adjustStock(tx: DbOrTx, ctx: DomainContext, input: AdjustStockInput): Promise<AdjustStockResult> {
  const field = "onHand" in input.change ? "on_hand" : "quantity_delta";
  const [warehouse] = await tx
    .select({ id: warehouses.id })
    .from(warehouses)
    .where(and(eq(warehouses.id, input.warehouseId), eq(warehouses.environment, ctx.environment)));
  if (!warehouse) throw new ApiError("invalid_warehouse", `warehouse_id '${input.warehouseId}' is not a known warehouse.`, "warehouse_id");
  const sku = await findOrCreateSku(tx, ctx, input.sku, input.createSku ?? false);

  const key = { skuId: sku.id, warehouseId: warehouse.id };
  const level = (await lockStock(tx, ctx, [key])).get(stockKey(key))!;
  const target = "onHand" in input.change ? input.change.onHand : level.onHand + input.change.delta;
  if (target < 0) {
    throw new ApiError("validation_error", `on_hand of SKU '${sku.sku}' is ${level.onHand}; it cannot fall below zero.`, field, { on_hand: level.onHand });
  }
  if (target < level.allocated) {
    throw new ApiError(
      "validation_error",
      `${level.allocated} unit(s) of SKU '${sku.sku}' are reserved for open orders at this warehouse; on_hand cannot be set below that (asked for ${target}).`,
      field,
      { allocated: level.allocated, on_hand: level.onHand },
    );
  }
  const delta = target - level.onHand;
  if (delta === 0) return { adjustment: null, inventory: await loadInventory(tx, sku.id), skuId: sku.id, releasedOrderIds: [] };

  const id = newId("adj");
  const adjustedAt = input.occurredAt ?? new Date();
  await moveStock(tx, ctx, {
    ...key,
    kind: input.reason === "cycle_count" ? "cycle_count" : "adjust",
    reason: input.reason,
    delta: { onHand: delta },
    refType: "adjustment",
    refId: id,
    occurredAt: adjustedAt,
  });
  const adjustment = await recordAdjustment(tx, ctx, { id, ...key, sku: sku.sku, quantityDelta: delta, reason: input.reason, note: input.note, adjustedAt });
  const releasedOrderIds = delta > 0 ? await releaseBackorders(tx, ctx, key) : [];
  return { adjustment, inventory: await loadInventory(tx, sku.id), skuId: sku.id, releasedOrderIds };
}
