import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { skus } from "./inventory";
import { orders } from "./orders";
import { warehouses } from "./warehouses";

export const returnStatusEnum = pgEnum("return_status", ["expected", "received", "processed"]);
export const returnConditionEnum = pgEnum("return_condition", ["resellable", "damaged", "defective"]);
/** expected: a line of the RMA; received: what physically came back (condition null = awaiting inspection). */
export const returnItemKindEnum = pgEnum("return_item_kind", ["expected", "received"]);

/** A customer return (RMA). Returned stock is not sellable until inspected as resellable. */
export const returns = pgTable(
  "returns",
  {
    id: text().primaryKey(),
    ...tenancy,
    orderId: text()
      .notNull()
      .references(() => orders.id),
    rma: text().notNull(),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    status: returnStatusEnum().notNull().default("expected"),
    receivedAt: timestamp({ withTimezone: true }),
    processedAt: timestamp({ withTimezone: true }),
    requestHash: text().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("returns_account_id_environment_rma_idx").on(t.accountId, t.environment, t.rma),
    index("returns_account_id_environment_updated_at_id_idx").on(t.accountId, t.environment, t.updatedAt, t.id),
    index("returns_order_id_idx").on(t.orderId),
    // Returns received and not yet processed: what stuck-order detection reads.
    index("returns_received_idx").on(t.receivedAt).where(sql`${t.status} = 'received'`),
  ],
);

export const returnItems = pgTable(
  "return_items",
  {
    id: text().primaryKey(),
    returnId: text()
      .notNull()
      .references(() => returns.id),
    kind: returnItemKindEnum().notNull(),
    position: integer().notNull(),
    skuId: text()
      .notNull()
      .references(() => skus.id),
    sku: text().notNull(),
    quantity: integer().notNull(),
    condition: returnConditionEnum(),
    restocked: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [
    index("return_items_return_id_kind_position_idx").on(t.returnId, t.kind, t.position),
    check("return_items_quantity_positive", sql`${t.quantity} > 0`),
    check("return_items_restocked_only_resellable", sql`NOT ${t.restocked} OR ${t.condition} = 'resellable'`),
  ],
);

export type Return = typeof returns.$inferSelect;
export type NewReturn = typeof returns.$inferInsert;
export type ReturnItem = typeof returnItems.$inferSelect;
export type NewReturnItem = typeof returnItems.$inferInsert;
