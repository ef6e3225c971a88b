import { boolean, index, integer, json, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tenancy, timestamps } from "./columns";
import { orderLines, orders } from "./orders";
import { warehouses } from "./warehouses";

export const shipmentStatusEnum = pgEnum("shipment_status", ["shipped", "in_transit", "out_for_delivery", "delivered", "exception", "voided"]);

export const shipments = pgTable(
  "shipments",
  {
    id: text().primaryKey(),
    ...tenancy,
    orderId: text()
      .notNull()
      .references(() => orders.id),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    status: shipmentStatusEnum().notNull().default("shipped"),
    voided: boolean().notNull().default(false),
    shippedAt: timestamp({ withTimezone: true }).notNull(),
    costAmount: numeric({ precision: 14, scale: 4 }),
    costCurrency: text(),
    /** The reporting system's own shipment id, when it has one: a second report of it creates nothing. */
    externalId: text(),
    /** occurred_at of the newest status applied; older reports are kept in the timeline as stale. */
    statusOccurredAt: timestamp({ withTimezone: true }),
    /**
     * The shipment as the API returns it (spec §3), rendered from this row, its parcels and its items in the
     * transaction that writes them (storeShipmentDocuments). Partners poll shipments far more often than they
     * change, so reads copy it rather than assemble it from three tables. json, not jsonb: keys keep the
     * contract's order. Null until rendered: reads then render it themselves and housekeeping fills it in, so a
     * change to the object's definition ships with a migration that sets it back to null.
     */
    document: json(),
    ...timestamps,
  },
  (t) => [
    index("shipments_account_id_environment_updated_at_id_idx").on(t.accountId, t.environment, t.updatedAt, t.id),
    index("shipments_unrendered_idx").on(t.id).where(sql`${t.document} is null`),
    index("shipments_order_id_idx").on(t.orderId),
    // Shipments the carrier still owes a scan or a delivery: what stuck-order detection reads.
    index("shipments_in_carrier_stage_idx")
      .on(t.status, t.orderId)
      .where(sql`${t.status} in ('shipped', 'in_transit', 'out_for_delivery')`),
    // Shipments by status and the time their status began: a detector pass reads only the parcels old enough to be
    // overdue (the smallest threshold of a carrier stage), not every parcel still on its way. Not partial: PostgreSQL
    // keeps statistics of an index expression only for a full index, and without them it guesses a third of the table.
    index("shipments_status_since_idx").on(t.status, sql`coalesce(${t.statusOccurredAt}, ${t.shippedAt})`),
    // What left each warehouse when: the overview's shipped-today count and last hour's rate per warehouse.
    index("shipments_warehouse_id_shipped_at_idx").on(t.warehouseId, t.shippedAt),
    uniqueIndex("shipments_account_id_environment_external_id_idx").on(t.accountId, t.environment, t.externalId),
  ],
);

export type Measure = { value: number; unit: string };
export type Dimensions = { length: number; width: number; height: number; unit: string };

/** One row per physical box, each with its own tracking number. */
export const shipmentParcels = pgTable(
  "shipment_parcels",
  {
    id: text().primaryKey(),
    shipmentId: text()
      .notNull()
      .references(() => shipments.id),
    position: integer().notNull(),
    trackingNumber: text().notNull(),
    trackingUrl: text(),
    carrier: text(),
    service: text(),
    weight: jsonb().$type<Measure>(),
    dimensions: jsonb().$type<Dimensions>(),
    ...timestamps,
  },
  (t) => [uniqueIndex("shipment_parcels_shipment_id_position_idx").on(t.shipmentId, t.position), index("shipment_parcels_tracking_number_idx").on(t.trackingNumber)],
);

export const shipmentItems = pgTable(
  "shipment_items",
  {
    id: text().primaryKey(),
    shipmentId: text()
      .notNull()
      .references(() => shipments.id),
    orderLineId: text()
      .notNull()
      .references(() => orderLines.id),
    sku: text().notNull(),
    quantity: integer().notNull(),
    ...timestamps,
  },
  (t) => [index("shipment_items_shipment_id_idx").on(t.shipmentId)],
);

export type Shipment = typeof shipments.$inferSelect;
export type NewShipment = typeof shipments.$inferInsert;
export type ShipmentParcel = typeof shipmentParcels.$inferSelect;
export type NewShipmentParcel = typeof shipmentParcels.$inferInsert;
export type ShipmentItem = typeof shipmentItems.$inferSelect;
export type NewShipmentItem = typeof shipmentItems.$inferInsert;
