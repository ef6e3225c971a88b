import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { warehouses } from "./warehouses";

/** An account's SKU. `updated_at` moves whenever any of its stock numbers move: it is the inventory object's clock. */
export const skus = pgTable(
  "skus",
  {
    id: text().primaryKey(),
    ...tenancy,
    sku: text().notNull(),
    description: text(),
    /** The warehouse's own code for the item, when it differs from the account's SKU. */
    warehouseItemCode: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("skus_account_id_environment_sku_idx").on(t.accountId, t.environment, t.sku),
    index("skus_account_id_environment_updated_at_id_idx").on(t.accountId, t.environment, t.updatedAt, t.id),
  ],
);

/**
 * Stock of one SKU in one warehouse. The CHECKs are the last line against overselling:
 * whatever the code does, the database refuses allocated > on_hand.
 * `quarantined` is physically present but not sellable (returned-uninspected, damaged, held) and is not part of on_hand.
 */
export const inventoryLevels = pgTable(
  "inventory_levels",
  {
    id: text().primaryKey(),
    ...tenancy,
    skuId: text()
      .notNull()
      .references(() => skus.id),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    onHand: integer().notNull().default(0),
    allocated: integer().notNull().default(0),
    incoming: integer().notNull().default(0),
    backordered: integer().notNull().default(0),
    quarantined: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("inventory_levels_sku_id_warehouse_id_idx").on(t.skuId, t.warehouseId),
    index("inventory_levels_warehouse_id_idx").on(t.warehouseId),
    check("inventory_levels_on_hand_nonnegative", sql`${t.onHand} >= 0`),
    check("inventory_levels_allocated_within_on_hand", sql`${t.allocated} >= 0 AND ${t.allocated} <= ${t.onHand}`),
    check("inventory_levels_incoming_nonnegative", sql`${t.incoming} >= 0`),
    check("inventory_levels_backordered_nonnegative", sql`${t.backordered} >= 0`),
    check("inventory_levels_quarantined_nonnegative", sql`${t.quarantined} >= 0`),
  ],
);

export const ledgerKindEnum = pgEnum("inventory_ledger_kind", [
  "allocate",
  "release",
  "ship",
  "backorder",
  "backorder_cleared",
  "receive",
  "expect",
  "adjust",
  "cycle_count",
  "return_restock",
  "return_quarantine",
]);

/**
 * Every stock movement, with its deltas and the balances it produced. Replaying the deltas from zero
 * gives the current inventory_levels row; lib/inventory/ledger.ts checks exactly that.
 */
export const inventoryLedger = pgTable(
  "inventory_ledger",
  {
    id: text().primaryKey(),
    ...tenancy,
    skuId: text().notNull(),
    warehouseId: text().notNull(),
    kind: ledgerKindEnum().notNull(),
    reason: text(),
    /** Which system caused it: api, sandbox, wms, shopify, dashboard, system. */
    source: text().notNull(),
    refType: text(),
    refId: text(),
    deltaOnHand: integer().notNull().default(0),
    deltaAllocated: integer().notNull().default(0),
    deltaIncoming: integer().notNull().default(0),
    deltaBackordered: integer().notNull().default(0),
    deltaQuarantined: integer().notNull().default(0),
    balance: jsonb().$type<StockBalance>().notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index("inventory_ledger_sku_id_warehouse_id_created_at_idx").on(t.skuId, t.warehouseId, t.createdAt)],
);

export type StockBalance = { onHand: number; allocated: number; incoming: number; backordered: number; quarantined: number };

export const adjustmentReasonEnum = pgEnum("adjustment_reason", [
  "damaged",
  "cycle_count",
  "lost",
  "found",
  "expired",
  "received",
  "returned",
]);

/** The partner-visible record of a stock change outside an order (GET /v1/inventory-adjustments). */
export const inventoryAdjustments = pgTable(
  "inventory_adjustments",
  {
    id: text().primaryKey(),
    ...tenancy,
    skuId: text()
      .notNull()
      .references(() => skus.id),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    quantityDelta: integer().notNull(),
    reason: adjustmentReasonEnum().notNull(),
    note: text(),
    source: text().notNull(),
    adjustedAt: timestamp({ withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index("inventory_adjustments_account_id_environment_updated_at_id_idx").on(t.accountId, t.environment, t.updatedAt, t.id)],
);

export type Sku = typeof skus.$inferSelect;
export type NewSku = typeof skus.$inferInsert;
export type InventoryLevel = typeof inventoryLevels.$inferSelect;
export type NewInventoryLevel = typeof inventoryLevels.$inferInsert;
export type InventoryLedgerEntry = typeof inventoryLedger.$inferSelect;
export type NewInventoryLedgerEntry = typeof inventoryLedger.$inferInsert;
export type InventoryAdjustment = typeof inventoryAdjustments.$inferSelect;
export type NewInventoryAdjustment = typeof inventoryAdjustments.$inferInsert;
