import { boolean, index, integer, jsonb, pgTable, text, time, uniqueIndex } from "drizzle-orm/pg-core";
import { environmentEnum, timestamps } from "./columns";

export type Address = {
  name?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  address1: string;
  address2?: string | null;
  city: string;
  state?: string | null;
  postcode?: string | null;
  country: string;
};

/** Warehouses belong to the 3PL and are visible to every account of their environment. */
export const warehouses = pgTable(
  "warehouses",
  {
    id: text().primaryKey(),
    environment: environmentEnum().notNull(),
    name: text().notNull(),
    code: text().notNull(),
    address: jsonb().$type<Address>().notNull(),
    timezone: text().notNull().default("UTC"),
    /** Lower runs first when routing falls back to "first warehouse with stock". */
    priority: integer().notNull().default(100),
    paused: boolean().notNull().default(false),
    /** Orders routed per local day before the warehouse counts as over capacity; null = unlimited. */
    dailyCapacity: integer(),
    /** Daily cut-off, local time in `timezone`: an order received before it is due out that day. Null = none. */
    cutoffTime: time(),
    ...timestamps,
  },
  (t) => [uniqueIndex("warehouses_environment_code_idx").on(t.environment, t.code)],
);

export const shippingMethods = pgTable(
  "shipping_methods",
  {
    id: text().primaryKey(),
    environment: environmentEnum().notNull(),
    name: text().notNull(),
    carrier: text().notNull(),
    carrierName: text().notNull(),
    serviceCode: text().notNull(),
    /** "{tracking_number}" is replaced with the parcel's number. */
    trackingUrlTemplate: text(),
    isDefault: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [index("shipping_methods_environment_name_idx").on(t.environment, t.name)],
);

export type Warehouse = typeof warehouses.$inferSelect;
export type NewWarehouse = typeof warehouses.$inferInsert;
export type ShippingMethod = typeof shippingMethods.$inferSelect;
export type NewShippingMethod = typeof shippingMethods.$inferInsert;
