import { sql } from "drizzle-orm";
import { check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { skus } from "./inventory";
import { warehouses } from "./warehouses";

export const inboundStatusEnum = pgEnum("inbound_status", ["expected", "partially_received", "received"]);

/** An ASN: stock a supplier is sending to one warehouse. While open, its unreceived units count as `incoming`. */
export const inboundShipments = pgTable(
  "inbound_shipments",
  {
    id: text().primaryKey(),
    ...tenancy,
    /** The partner's PO / ASN reference, unique per account and environment: the create is idempotent on it. */
    reference: text().notNull(),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    supplier: text(),
    expectedAt: date({ mode: "string" }),
    status: inboundStatusEnum().notNull().default("expected"),
    /** Time of the latest receipt. */
    receivedAt: timestamp({ withTimezone: true }),
    /** Canonical JSON hash of the create body: a retry with the same body replays, a different one conflicts. */
    requestHash: text().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("inbound_shipments_account_id_environment_reference_idx").on(t.accountId, t.environment, t.reference),
    index("inbound_shipments_account_id_environment_updated_at_id_idx").on(t.accountId, t.environment, t.updatedAt, t.id),
  ],
);

export const inboundItems = pgTable(
  "inbound_items",
  {
    id: text().primaryKey(),
    inboundShipmentId: text()
      .notNull()
      .references(() => inboundShipments.id),
    position: integer().notNull(),
    skuId: text()
      .notNull()
      .references(() => skus.id),
    sku: text().notNull(),
    expectedQuantity: integer().notNull(),
    /** Sum of every receipt so far; may exceed expected (over-delivery). */
    receivedQuantity: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("inbound_items_inbound_shipment_id_position_idx").on(t.inboundShipmentId, t.position),
    uniqueIndex("inbound_items_inbound_shipment_id_sku_id_idx").on(t.inboundShipmentId, t.skuId),
    check("inbound_items_quantities_nonnegative", sql`${t.expectedQuantity} >= 0 AND ${t.receivedQuantity} >= 0`),
  ],
);

export type InboundShipment = typeof inboundShipments.$inferSelect;
export type NewInboundShipment = typeof inboundShipments.$inferInsert;
export type InboundItem = typeof inboundItems.$inferSelect;
export type NewInboundItem = typeof inboundItems.$inferInsert;
