import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inventoryAdjustments, skus, type InventoryAdjustment } from "@/db/schema";
import { changesOrder, changesValues, changesWhere, cursorTimestamp, paginate, horizonFor, type FeedReader, type Pagination } from "@/lib/api/pagination";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import type { AdjustmentObject, AdjustmentReason, ListAdjustmentsQuery } from "./schema";

export function presentAdjustment(adjustment: InventoryAdjustment, sku: string): AdjustmentObject {
  return {
    id: adjustment.id,
    sku,
    warehouse_id: adjustment.warehouseId,
    quantity_delta: adjustment.quantityDelta,
    reason: adjustment.reason,
    note: adjustment.note,
    adjusted_at: adjustment.adjustedAt.toISOString(),
  };
}

/**
 * Writes the partner-visible adjustment row for a movement already applied with moveStock, and tells partners
 * (inventory.adjusted). Manual adjustments, receipts and restocked returns all record through here, so the row
 * and the event cannot drift apart. `id` is for a caller whose ledger movement already refers to the adjustment.
 */
export async function recordAdjustment(
  tx: DbOrTx,
  ctx: DomainContext,
  input: {
    id?: string;
    skuId: string;
    sku: string;
    warehouseId: string;
    quantityDelta: number;
    reason: AdjustmentReason;
    note?: string | null;
    adjustedAt?: Date;
  },
): Promise<AdjustmentObject> {
  const [row] = await tx
    .insert(inventoryAdjustments)
    .values({
      id: input.id ?? newId("adj"),
      accountId: ctx.accountId,
      environment: ctx.environment,
      skuId: input.skuId,
      warehouseId: input.warehouseId,
      quantityDelta: input.quantityDelta,
      reason: input.reason,
      note: input.note ?? null,
      source: ctx.source,
      adjustedAt: input.adjustedAt ?? new Date(),
    })
    .returning();
  const presented = presentAdjustment(row, input.sku);
  await emitEvent(tx, ctx, "inventory.adjusted", presented);
  return presented;
}

/** GET /v1/inventory-adjustments: the tenant's adjustments by updated_at then id, commit-safe. */
export async function listAdjustments(
  db: DbOrTx,
  ctx: FeedReader,
  query: ListAdjustmentsQuery,
): Promise<{ data: AdjustmentObject[]; pagination: Pagination }> {
  const horizon = await horizonFor(db, ctx);
  const t = inventoryAdjustments;
  const conditions = [changesWhere(t, changesValues(ctx, { cursor: query.cursor, updatedSince: query.updated_since }, horizon))];
  if (query.warehouse_id) conditions.push(eq(t.warehouseId, query.warehouse_id));
  if (query.reason) conditions.push(eq(t.reason, query.reason));
  if (query.sku) {
    conditions.push(
      inArray(
        t.skuId,
        db
          .select({ id: skus.id })
          .from(skus)
          .where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), eq(skus.sku, query.sku))),
      ),
    );
  }
  const rows = await db
    .select({ row: t, sku: skus.sku, ts: cursorTimestamp(t.updatedAt) })
    .from(t)
    .innerJoin(skus, eq(skus.id, t.skuId))
    .where(and(...conditions))
    .orderBy(...changesOrder(t))
    .limit(query.limit + 1);
  const { page, pagination } = paginate(rows, query.limit, (r) => ({ ts: r.ts, id: r.row.id }));
  return { data: page.map((r) => presentAdjustment(r.row, r.sku)), pagination };
}
