import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { orders } from "./orders";
import { shipments } from "./shipments";
import { shopConnections, skuMappings } from "./shopify";
import { warehouses } from "./warehouses";

/**
 * pending: owed to Shopify (first push, a newer version, or a retry after a transient failure);
 * synced: Shopify has what the hub has; dead: retries exhausted or a permanent refusal, shown with a retry button.
 */
export const shopifyPushStateEnum = pgEnum("shopify_push_state", ["pending", "synced", "dead"]);

/**
 * One row per hub shipment of a Shopify order: the unique shipment id is the dedup door of the push-back, so a
 * second callback for the same shipment can never create a second Shopify fulfillment. The same row carries the
 * later tracking updates: the shipment's updated_at last pushed tells whether Shopify is behind.
 */
export const shopifyFulfillmentPushes = pgTable(
  "shopify_fulfillment_pushes",
  {
    id: text().primaryKey(),
    ...tenancy,
    connectionId: text()
      .notNull()
      .references(() => shopConnections.id),
    shipmentId: text()
      .notNull()
      .references(() => shipments.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    state: shopifyPushStateEnum().notNull().default("pending"),
    /** gid://shopify/Fulfillment/…, once created. Its presence turns the next push into a tracking update. */
    shopifyFulfillmentId: text(),
    /** The shipment version (its updated_at, microseconds) Shopify last received. */
    syncedShipmentUpdatedAt: timestamp({ withTimezone: true }),
    /**
     * The tracking numbers Shopify last received for the fulfillment: a later version with a different set (a parcel
     * added, a label replaced) tells the customer again. Null when unknown (pushed before this was kept).
     */
    syncedTrackingNumbers: text().array(),
    attempts: integer().notNull().default(0),
    /** Due time; a claim pushes it forward by the lease, so a crashed worker's row comes back by itself. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    /** transient | permanent */
    lastErrorKind: text(),
    fulfilledAt: timestamp({ withTimezone: true }),
    deadAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("shopify_fulfillment_pushes_shipment_id_idx").on(t.shipmentId),
    index("shopify_fulfillment_pushes_next_attempt_at_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("shopify_fulfillment_pushes_state_updated_at_idx").on(t.state, t.updatedAt),
    index("shopify_fulfillment_pushes_order_id_idx").on(t.orderId),
  ],
);

/**
 * Inventory push state per mapped variant and Shopify location. Movements only bump change_seq (many movements,
 * one row): the pusher reads the hub's figure at push time, so a burst collapses into one push of the latest number.
 * last_pushed_quantity is the compare-and-swap base for the next inventorySetQuantities.
 */
export const shopifyInventoryPushes = pgTable(
  "shopify_inventory_pushes",
  {
    id: text().primaryKey(),
    ...tenancy,
    connectionId: text()
      .notNull()
      .references(() => shopConnections.id),
    skuMappingId: text()
      .notNull()
      .references(() => skuMappings.id),
    skuId: text().notNull(),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    locationGid: text().notNull(),
    state: shopifyPushStateEnum().notNull().default("pending"),
    changeSeq: integer().notNull().default(1),
    pushedSeq: integer().notNull().default(0),
    /** The oldest change Shopify has not received yet: sync lag is measured from here. */
    dirtySince: timestamp({ withTimezone: true }),
    lastPushedQuantity: integer(),
    lastPushedAt: timestamp({ withTimezone: true }),
    lastReconciledAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    lastErrorKind: text(),
    deadAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("shopify_inventory_pushes_sku_mapping_id_location_gid_idx").on(t.skuMappingId, t.locationGid),
    index("shopify_inventory_pushes_next_attempt_at_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("shopify_inventory_pushes_sku_id_warehouse_id_idx").on(t.skuId, t.warehouseId),
    index("shopify_inventory_pushes_connection_id_last_reconciled_at_idx").on(t.connectionId, t.lastReconciledAt),
    index("shopify_inventory_pushes_state_updated_at_idx").on(t.state, t.updatedAt),
  ],
);

/**
 * Commit-safe watermarks per shop connection: `shipments` (which shipments to push), `inventory` (which SKUs moved),
 * `reconcile` (SKUs changed since the last reconciliation pass). A watermark is a horizon before which every
 * transaction has committed, so nothing that commits late is skipped.
 */
export const shopifySyncCursors = pgTable(
  "shopify_sync_cursors",
  {
    id: text().primaryKey(),
    connectionId: text()
      .notNull()
      .references(() => shopConnections.id),
    kind: text().notNull(),
    watermark: timestamp({ withTimezone: true }).notNull(),
    lastRunAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex("shopify_sync_cursors_connection_id_kind_idx").on(t.connectionId, t.kind)],
);

/**
 * The Admin API cost bucket of each shop as Shopify last reported it (extensions.cost.throttleStatus). Shared by
 * every worker process so each sizes its limiter from what the shop really allows and waits when the bucket is low.
 */
export const shopifyApiBuckets = pgTable("shopify_api_buckets", {
  shopDomain: text().primaryKey(),
  maximumAvailable: doublePrecision().notNull(),
  restoreRate: doublePrecision().notNull(),
  currentlyAvailable: doublePrecision().notNull(),
  observedAt: timestamp({ withTimezone: true }).notNull(),
  ...timestamps,
});

/**
 * Window counters of the cost limiter (rate-limiter-flexible's Drizzle store, used when REDIS_URL is not set).
 * Columns are the store's: key, points, expire.
 */
export const shopifyRateLimits = pgTable("shopify_rate_limits", {
  key: text().primaryKey(),
  points: integer().notNull(),
  expire: timestamp({ withTimezone: true }),
});

export type ShopifyFulfillmentPush = typeof shopifyFulfillmentPushes.$inferSelect;
export type NewShopifyFulfillmentPush = typeof shopifyFulfillmentPushes.$inferInsert;
export type ShopifyInventoryPush = typeof shopifyInventoryPushes.$inferSelect;
export type NewShopifyInventoryPush = typeof shopifyInventoryPushes.$inferInsert;
export type ShopifySyncCursor = typeof shopifySyncCursors.$inferSelect;
export type NewShopifySyncCursor = typeof shopifySyncCursors.$inferInsert;
export type ShopifyApiBucket = typeof shopifyApiBuckets.$inferSelect;
export type NewShopifyApiBucket = typeof shopifyApiBuckets.$inferInsert;
