import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { skus } from "./inventory";
import { shippingMethods, warehouses, type Address } from "./warehouses";

export const orderStatusEnum = pgEnum("order_status", [
  "received",
  "processing",
  "partially_shipped",
  "shipped",
  "on_hold",
  "backordered",
  "cancelled",
]);

export const orders = pgTable(
  "orders",
  {
    id: text().primaryKey(),
    ...tenancy,
    orderNumber: text().notNull(),
    /** The partner's unique fulfillment reference: the dedup anchor, unique per account and environment. */
    reference: text().notNull(),
    channel: text().notNull().default("api"),
    status: orderStatusEnum().notNull(),
    holdReason: text(),
    warehouseId: text().references(() => warehouses.id),
    shippingMethodId: text().references(() => shippingMethods.id),
    orderDate: timestamp({ withTimezone: true }).notNull(),
    shipTo: jsonb().$type<Address>().notNull(),
    signatureRequired: boolean().notNull().default(false),
    insurance: boolean().notNull().default(false),
    giftMessage: text(),
    packingNote: text(),
    tags: text().array().notNull().default([]),
    /** Canonical JSON hash of the create body: decides "identical body" for replays by reference. */
    requestHash: text(),
    version: integer().notNull().default(1),
    /**
     * When the order entered its current status: set by the database (trigger orders_stage_entered_at) in the
     * transaction that changes the status, whichever code path writes it. Stuck-order detection measures from here.
     */
    stageEnteredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("orders_account_id_environment_reference_idx").on(t.accountId, t.environment, t.reference),
    index("orders_account_id_environment_updated_at_id_idx").on(t.accountId, t.environment, t.updatedAt, t.id),
    index("orders_account_id_environment_order_number_idx").on(t.accountId, t.environment, t.orderNumber),
    index("orders_environment_status_created_at_idx").on(t.environment, t.status, t.createdAt),
    index("orders_order_number_idx").on(t.orderNumber),
    // The orders still in a stage that can get stuck: a few thousand among millions, read by every detector pass.
    index("orders_open_stage_idx")
      .on(t.status, t.stageEnteredAt)
      .where(sql`${t.status} in ('on_hold', 'received', 'processing', 'backordered')`),
    // The orders a warehouse still owes, by when they came in: the overview's "due to ship today" per warehouse
    // (received before today's cut-off) reads a range of it instead of counting among all orders.
    index("orders_warehouse_id_created_at_open_idx")
      .on(t.warehouseId, t.createdAt)
      .where(sql`${t.status} in ('received', 'processing')`),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    position: integer().notNull(),
    /** Null only for a channel line whose SKU is not mapped yet (the order is then on hold). */
    skuId: text().references(() => skus.id),
    sku: text().notNull(),
    channelSku: text(),
    channelLineId: text(),
    description: text(),
    quantity: integer().notNull(),
    quantityAllocated: integer().notNull().default(0),
    quantityShipped: integer().notNull().default(0),
    unitPrice: numeric({ precision: 14, scale: 4 }),
    currency: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("order_lines_order_id_position_idx").on(t.orderId, t.position), index("order_lines_sku_id_idx").on(t.skuId)],
);

export const allocationStatusEnum = pgEnum("allocation_status", ["active", "released", "consumed"]);

/** Stock reserved for an order line at a warehouse. */
export const allocations = pgTable(
  "allocations",
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    orderLineId: text()
      .notNull()
      .references(() => orderLines.id),
    skuId: text()
      .notNull()
      .references(() => skus.id),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    quantity: integer().notNull(),
    status: allocationStatusEnum().notNull().default("active"),
    ...timestamps,
  },
  (t) => [index("allocations_order_id_idx").on(t.orderId), index("allocations_sku_id_warehouse_id_status_idx").on(t.skuId, t.warehouseId, t.status)],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: text().primaryKey(),
    ...tenancy,
    key: text().notNull(),
    requestHash: text().notNull(),
    /** in_progress until the creating transaction commits; the row and the order commit together. */
    state: text().notNull().default("completed"),
    orderId: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("idempotency_keys_account_id_environment_key_idx").on(t.accountId, t.environment, t.key), index("idempotency_keys_expires_at_idx").on(t.expiresAt)],
);

/** The order's timeline: every state change and everything a human should know, appended in the same transaction. */
export const orderEvents = pgTable(
  "order_events",
  {
    id: text().primaryKey(),
    ...tenancy,
    orderId: text()
      .notNull()
      .references(() => orders.id),
    type: text().notNull(),
    /** The system it came from: api, shopify, wms, carrier, sandbox, dashboard, system. */
    source: text().notNull(),
    rawStatus: text(),
    status: text(),
    message: text().notNull(),
    actor: text(),
    /** An out-of-order event: recorded, not applied. */
    stale: boolean().notNull().default(false),
    data: jsonb().$type<Record<string, unknown>>(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index("order_events_order_id_recorded_at_idx").on(t.orderId, t.recordedAt)],
);

export const exceptionStatusEnum = pgEnum("exception_status", ["open", "resolved"]);

/**
 * Anything that needs a human: routing failures, unmapped SKUs or statuses, declined cancellations,
 * late amendments, failed pushes. Shown in the dashboard with an action; resolving is a timeline event.
 */
export const operationalExceptions = pgTable(
  "operational_exceptions",
  {
    id: text().primaryKey(),
    ...tenancy,
    kind: text().notNull(),
    status: exceptionStatusEnum().notNull().default("open"),
    orderId: text().references(() => orders.id),
    message: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedBy: text(),
    /** What the person who resolved it did (also on the order's timeline). */
    resolutionNote: text(),
    /** The dashboard user (e-mail) who owns it; null: unassigned. */
    assignedTo: text(),
    assignedAt: timestamp({ withTimezone: true }),
    /** Hidden from the queue until then; it comes back by itself once the time passes. */
    snoozedUntil: timestamp({ withTimezone: true }),
    acknowledgedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: text(),
    /**
     * Exceptions with one cause share a key (the unmapped SKU, the unmapped status, the dead webhook endpoint), so the
     * queue shows 40 orders held on one SKU as one row with one fix. Computed by the database from what the raising
     * flow recorded, so every writer (and a later update of data) gets it right; null: each stands alone.
     */
    groupKey: text().generatedAlwaysAs(
      sql`case kind
            when 'unmapped_sku' then 'unmapped_sku:' || coalesce(data->'unmapped'->0->>'channel_sku', data->'unmapped'->0->>'variant_id', data->'skus'->>0)
            when 'warehouse_event_failed' then case when data->>'reason' = 'unmapped_status' then 'unmapped_status:' || coalesce(data->>'source', '') || '/' || coalesce(data->>'raw_status', '') end
            when 'webhook_dead' then 'webhook_dead:' || (data->>'endpoint_id')
          end`,
    ),
    ...timestamps,
  },
  (t) => [
    index("operational_exceptions_status_created_at_idx").on(t.status, t.createdAt),
    // The triage queue (lib/exceptions/queue.ts): open exceptions standing alone, oldest first, in all or one kind;
    // grouped ones by their group; per-kind counts and the navigation's count read only the kind/snooze index.
    index("operational_exceptions_open_single_created_at_idx").on(t.createdAt, t.id).where(sql`${t.status} = 'open' and ${t.groupKey} is null`),
    index("operational_exceptions_open_single_kind_created_at_idx").on(t.kind, t.createdAt, t.id).where(sql`${t.status} = 'open' and ${t.groupKey} is null`),
    index("operational_exceptions_open_group_key_idx").on(t.groupKey, t.accountId, t.environment, t.createdAt).where(sql`${t.status} = 'open' and ${t.groupKey} is not null`),
    index("operational_exceptions_open_kind_snoozed_until_idx").on(t.kind, t.snoozedUntil).where(sql`${t.status} = 'open'`),
    index("operational_exceptions_open_assigned_to_idx").on(t.assignedTo, t.createdAt).where(sql`${t.status} = 'open'`),
    index("operational_exceptions_order_id_idx").on(t.orderId),
    // One open stuck-order exception per order and stage, whatever runs the detector and how often.
    uniqueIndex("operational_exceptions_open_stuck_order_idx")
      .on(t.orderId, sql`(${t.data}->>'stage')`)
      .where(sql`${t.kind} = 'stuck_order' and ${t.status} = 'open'`),
  ],
);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderLine = typeof orderLines.$inferSelect;
export type NewOrderLine = typeof orderLines.$inferInsert;
export type Allocation = typeof allocations.$inferSelect;
export type NewAllocation = typeof allocations.$inferInsert;
export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
export type NewIdempotencyKey = typeof idempotencyKeys.$inferInsert;
export type OrderEvent = typeof orderEvents.$inferSelect;
export type NewOrderEvent = typeof orderEvents.$inferInsert;
export type OperationalException = typeof operationalExceptions.$inferSelect;
export type NewOperationalException = typeof operationalExceptions.$inferInsert;
