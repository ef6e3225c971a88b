import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";

export const statusMappingTargetEnum = pgEnum("status_mapping_target", ["order", "shipment"]);

/**
 * How a raw status of an outside system (WMS, carrier, Shopify) translates into the hub's canonical vocabulary.
 * Global: the 3PL runs one WMS and one set of carriers for every account. `canonical_status` is an order or
 * shipment status (per `applies_to`) or `ignore`.
 *
 * A label is not a shipment: a label-only status (flagged, or named LABEL_… other than a void/cancel) may never
 * claim the parcel has left. lib/status-mapping enforces it with readable errors; the CHECK is the backstop for
 * any writer that bypasses it.
 */
export const statusMappings = pgTable(
  "status_mappings",
  {
    id: text().primaryKey(),
    /** The reporting system, lower case: wms, carrier, shopify, … */
    source: text().notNull(),
    /** Upper case, as normalised on write and on lookup. */
    rawStatus: text().notNull(),
    appliesTo: statusMappingTargetEnum().notNull(),
    canonicalStatus: text().notNull(),
    /** What support can read out to a customer when this status arrives. */
    customerMessage: text().notNull(),
    /** The system that owns (decides) this status. */
    ownerSystem: text().notNull(),
    labelOnly: boolean().notNull().default(false),
    /** Seeded default; a changed default keeps its edit and is never overwritten by the seed again. */
    isDefault: boolean().notNull().default(false),
    updatedBy: text().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("status_mappings_source_raw_status_idx").on(t.source, t.rawStatus),
    check(
      "status_mappings_label_is_not_shipped",
      sql`NOT ((${t.labelOnly} OR (${t.rawStatus} ~ '^LABEL(_|$)' AND ${t.rawStatus} !~ '(VOID|CANCEL)'))
               AND ${t.canonicalStatus} IN ('shipped', 'partially_shipped', 'in_transit', 'out_for_delivery', 'delivered'))`,
    ),
  ],
);

export const warehouseEventStateEnum = pgEnum("warehouse_event_state", ["applied", "failed", "stale", "ignored", "flagged", "duplicate"]);

/**
 * Every event a warehouse or carrier reported, exactly as received, and what became of it. The unique index on
 * (account, environment, event_id) IS the dedup: a repeat cannot insert, whatever the concurrency.
 */
export const warehouseEvents = pgTable(
  "warehouse_events",
  {
    id: text().primaryKey(),
    ...tenancy,
    /** The reporting system's event id: the dedup key. */
    eventId: text().notNull(),
    source: text().notNull(),
    /** status | inventory | inbound_receipt | return_receipt */
    type: text().notNull(),
    rawStatus: text(),
    canonicalStatus: text(),
    state: warehouseEventStateEnum().notNull(),
    /** Why it was not applied (unmapped_status, unknown_order, …), or what was noted on an applied event. */
    reason: text(),
    message: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    orderId: text(),
    shipmentId: text(),
    attempts: integer().notNull().default(1),
    occurredAt: timestamp({ withTimezone: true }),
    appliedAt: timestamp({ withTimezone: true }),
    lastAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("warehouse_events_account_id_environment_event_id_idx").on(t.accountId, t.environment, t.eventId),
    index("warehouse_events_state_created_at_idx").on(t.state, t.createdAt),
    index("warehouse_events_order_id_idx").on(t.orderId),
  ],
);

export type StatusMapping = typeof statusMappings.$inferSelect;
export type NewStatusMapping = typeof statusMappings.$inferInsert;
export type WarehouseEvent = typeof warehouseEvents.$inferSelect;
export type NewWarehouseEvent = typeof warehouseEvents.$inferInsert;
