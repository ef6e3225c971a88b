import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { skus } from "./inventory";
import { orders } from "./orders";
import { warehouses } from "./warehouses";

/**
 * A Shopify shop connected to one account and environment. A webhook names only its shop, so the shop domain
 * alone must resolve to exactly one connection: it is unique across accounts and environments.
 */
export const shopConnections = pgTable(
  "shop_connections",
  {
    id: text().primaryKey(),
    ...tenancy,
    shopDomain: text().notNull(),
    /** AES-GCM sealed with SECRETS_KEY (lib/crypto/secrets.ts): a database dump alone cannot forge webhooks or call the shop. */
    webhookSecretEncrypted: text().notNull(),
    adminTokenEncrypted: text().notNull(),
    /** The full GraphQL Admin endpoint the push-back calls. */
    adminUrl: text().notNull(),
    inventorySyncIntervalSeconds: integer().notNull().default(900),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("shop_connections_shop_domain_idx").on(t.shopDomain),
    index("shop_connections_account_id_environment_idx").on(t.accountId, t.environment),
  ],
);

/** Which Shopify location stands for which warehouse: one location per warehouse, per shop. */
export const shopLocations = pgTable(
  "shop_locations",
  {
    id: text().primaryKey(),
    connectionId: text()
      .notNull()
      .references(() => shopConnections.id),
    /** Always a gid (gid://shopify/Location/…), whatever form was typed. */
    locationGid: text().notNull(),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("shop_locations_connection_id_location_gid_idx").on(t.connectionId, t.locationGid),
    uniqueIndex("shop_locations_connection_id_warehouse_id_idx").on(t.connectionId, t.warehouseId),
  ],
);

/**
 * pending: waiting for (another) processing attempt; processed: done; ignored: a topic the hub does not act on;
 * dead: every attempt failed, shown in the dashboard with a retry.
 */
export const webhookDeliveryStateEnum = pgEnum("shopify_webhook_delivery_state", ["pending", "processed", "ignored", "dead"]);

/**
 * The durable inbox of Shopify webhooks. The intake only verifies and inserts (so Shopify gets its 200 fast);
 * the worker claims rows, processes them and records the outcome. The unique dedup key makes a redelivered
 * webhook a no-op even when two copies arrive at once.
 */
export const shopifyWebhookDeliveries = pgTable(
  "shopify_webhook_deliveries",
  {
    id: text().primaryKey(),
    ...tenancy,
    connectionId: text()
      .notNull()
      .references(() => shopConnections.id),
    shopDomain: text().notNull(),
    /** `<topic>:event:<X-Shopify-Event-Id>`, else `<topic>:webhook:<X-Shopify-Webhook-Id>`. */
    dedupKey: text().notNull(),
    topic: text().notNull(),
    webhookId: text(),
    eventId: text(),
    apiVersion: text(),
    /** The body exactly as signed: reprocessing works from the same bytes Shopify sent. */
    rawBody: text().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    state: webhookDeliveryStateEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A claimed row is invisible to other workers until its lease runs out (a crashed worker's row comes back). */
    lockedUntil: timestamp({ withTimezone: true }),
    /** The hub order the delivery created or acted on, once known. */
    orderId: text().references(() => orders.id),
    outcome: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("shopify_webhook_deliveries_shop_domain_dedup_key_idx").on(t.shopDomain, t.dedupKey),
    index("shopify_webhook_deliveries_next_attempt_at_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("shopify_webhook_deliveries_account_id_environment_state_received_at_idx").on(t.accountId, t.environment, t.state, t.receivedAt),
  ],
);

export type ChannelOrderLine = {
  /** Shopify line item id (numeric, as text). */
  lineItemId: string;
  variantId: string | null;
  sku: string | null;
  title: string | null;
  quantity: number;
  price: string | null;
};

/**
 * One row per Shopify order that became a hub order. (shop, Shopify order id) is unique: the last dedup door,
 * behind the delivery dedup key. It keeps the lines as Shopify sent them so a held order can be re-resolved
 * against the SKU map once ops adds the missing mapping.
 */
export const channelOrders = pgTable(
  "channel_orders",
  {
    id: text().primaryKey(),
    ...tenancy,
    connectionId: text()
      .notNull()
      .references(() => shopConnections.id),
    shopDomain: text().notNull(),
    shopifyOrderId: text().notNull(),
    shopifyOrderName: text().notNull(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    lines: jsonb().$type<ChannelOrderLine[]>().notNull(),
    /** Shopify's updated_at of the newest payload applied: an older orders/updated never rolls a newer one back. */
    shopifyUpdatedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("channel_orders_shop_domain_shopify_order_id_idx").on(t.shopDomain, t.shopifyOrderId),
    uniqueIndex("channel_orders_order_id_idx").on(t.orderId),
  ],
);

/**
 * Channel SKU / variant → the account's SKU. A row matches by variant id or by channel SKU (at least one is set);
 * each is unique per account, environment and channel among the rows that have it.
 */
export const skuMappings = pgTable(
  "sku_mappings",
  {
    id: text().primaryKey(),
    ...tenancy,
    channel: text().notNull().default("shopify"),
    channelSku: text(),
    /** gid://shopify/ProductVariant/… */
    variantId: text(),
    skuId: text()
      .notNull()
      .references(() => skus.id),
    warehouseItemCode: text(),
    active: boolean().notNull().default(true),
    lastVerifiedAt: timestamp({ withTimezone: true }),
    /** Set when Shopify reports a change to the product: a human confirms the mapping still holds. */
    needsVerification: boolean().notNull().default(false),
    /** gid://shopify/InventoryItem/…, looked up once by the inventory push and cached here. */
    inventoryItemId: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("sku_mappings_account_id_environment_channel_channel_sku_idx")
      .on(t.accountId, t.environment, t.channel, t.channelSku)
      .where(sql`${t.channelSku} is not null`),
    uniqueIndex("sku_mappings_account_id_environment_channel_variant_id_idx")
      .on(t.accountId, t.environment, t.channel, t.variantId)
      .where(sql`${t.variantId} is not null`),
    index("sku_mappings_sku_id_idx").on(t.skuId),
  ],
);

export type ShopConnection = typeof shopConnections.$inferSelect;
export type NewShopConnection = typeof shopConnections.$inferInsert;
export type ShopLocation = typeof shopLocations.$inferSelect;
export type NewShopLocation = typeof shopLocations.$inferInsert;
export type ShopifyWebhookDelivery = typeof shopifyWebhookDeliveries.$inferSelect;
export type NewShopifyWebhookDelivery = typeof shopifyWebhookDeliveries.$inferInsert;
export type ChannelOrder = typeof channelOrders.$inferSelect;
export type NewChannelOrder = typeof channelOrders.$inferInsert;
export type SkuMapping = typeof skuMappings.$inferSelect;
export type NewSkuMapping = typeof skuMappings.$inferInsert;
