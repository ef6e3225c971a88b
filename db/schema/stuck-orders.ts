import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { warehouses } from "./warehouses";

/**
 * Overrides of the stuck-order thresholds (lib/stuck-orders/stages.ts holds the defaults): global when neither
 * account nor warehouse is set, else for that account or that warehouse. A missing row means the default applies,
 * so clearing an override is deleting its row.
 */
export const stuckThresholds = pgTable(
  "stuck_thresholds",
  {
    id: text().primaryKey(),
    /** A threshold key: a stage, or stalled_out_for_delivery (the shorter wait of stalled_in_transit). */
    stage: text().notNull(),
    accountId: text(),
    warehouseId: text().references(() => warehouses.id),
    minutes: integer().notNull(),
    ...timestamps,
  },
  (t) => [
    unique("stuck_thresholds_stage_account_id_warehouse_id_key").on(t.stage, t.accountId, t.warehouseId).nullsNotDistinct(),
    check("stuck_thresholds_one_scope", sql`${t.accountId} is null or ${t.warehouseId} is null`),
    check("stuck_thresholds_minutes_positive", sql`${t.minutes} > 0`),
  ],
);

export type StuckThreshold = typeof stuckThresholds.$inferSelect;
