import type { InventoryAdjustment } from "@/db/schema";
import { changeListParams } from "@/lib/api/pagination";
import { isoDateTime, text, z } from "@/lib/api/zod";

export const inventoryListQuery = z.object({
  ...changeListParams,
  sku: z.string().max(100).optional().openapi({ description: "Only this SKU (exact match)." }),
  warehouse_id: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: "Narrows each SKU's `warehouses[]` to this warehouse and omits SKUs with no stock record there." }),
});

const quantity = z.number().int();

export const warehouseStockObjectSchema = z
  .object({
    warehouse_id: z.string(),
    on_hand: quantity.openapi({ description: "Physically present and sellable-grade (returned, uninspected units are not counted)." }),
    available: quantity.openapi({ description: "on_hand − allocated, never below zero: what can be promised now." }),
    allocated: quantity.openapi({ description: "Reserved for open orders not yet shipped." }),
    incoming: quantity.openapi({ description: "Expected on open inbound shipments (expected − received)." }),
    backordered: quantity.openapi({ description: "Unallocated units of backordered orders at this warehouse." }),
  })
  .openapi("WarehouseStock");

/** One SKU's stock as the API returns it (presentInventory, lib/inventory/list.ts). */
export const inventoryObjectSchema = z
  .object({
    sku: z.string().openapi({ example: "WIDGET-BLUE-M" }),
    updated_at: isoDateTime.openapi({ description: "Moves whenever any of the SKU's numbers move, at any warehouse." }),
    warehouses: z.array(warehouseStockObjectSchema),
  })
  .openapi("Inventory");
export type InventoryObject = z.infer<typeof inventoryObjectSchema>;

export const sandboxInventoryInput = z
  .strictObject({
    sku: text(100).min(1).openapi({ example: "WIDGET-BLUE-M", description: "Created for the account when new." }),
    warehouse_id: z.string().min(1).max(100),
    on_hand: z.number().int("must be a whole number").min(0, "must not be negative").max(10_000_000),
  })
  .openapi("SandboxInventoryRequest");

export const ADJUSTMENT_REASONS = ["damaged", "cycle_count", "lost", "found", "expired", "received", "returned"] as const satisfies readonly InventoryAdjustment["reason"][];
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export const adjustmentListQuery = z.object({
  ...changeListParams,
  sku: z.string().min(1).max(100).optional().openapi({ description: "Only this SKU (exact match)." }),
  warehouse_id: z.string().min(1).max(100).optional(),
  reason: z.enum(ADJUSTMENT_REASONS).optional(),
});
export type ListAdjustmentsQuery = z.infer<typeof adjustmentListQuery>;

/** The adjustment as the API returns it (presentAdjustment, lib/inventory/adjustments.ts). */
export const adjustmentObjectSchema = z
  .object({
    id: z.string().openapi({ example: "adj_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    sku: z.string(),
    warehouse_id: z.string(),
    quantity_delta: z.number().int().openapi({ description: "Signed: negative = removed." }),
    reason: z.enum(ADJUSTMENT_REASONS),
    note: z.string().nullable(),
    adjusted_at: isoDateTime,
  })
  .openapi("InventoryAdjustment");
export type AdjustmentObject = z.infer<typeof adjustmentObjectSchema>;
