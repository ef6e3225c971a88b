import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";

/**
 * What a routing rule matches on. Every condition given must hold; an absent one matches anything.
 * Lists match when the order has any of the values (countries/states of ship_to, any line's SKU, any tag).
 * Order value is Σ quantity × unit_price of the lines, in the lines' own currency.
 */
export type RoutingConditions = {
  countries?: string[];
  states?: string[];
  skus?: string[];
  tags?: string[];
  min_order_value?: number;
  max_order_value?: number;
};

/** An account's routing rule: lower priority runs first; the first rule with an eligible warehouse wins. */
export const routingRules = pgTable(
  "routing_rules",
  {
    id: text().primaryKey(),
    ...tenancy,
    priority: integer().notNull(),
    name: text().notNull(),
    active: boolean().notNull().default(true),
    conditions: jsonb().$type<RoutingConditions>().notNull().default({}),
    /** Candidate warehouses in preference order. */
    warehouseIds: text().array().notNull(),
    ...timestamps,
  },
  (t) => [index("routing_rules_account_id_environment_priority_idx").on(t.accountId, t.environment, t.priority)],
);

export type RoutingRule = typeof routingRules.$inferSelect;
export type NewRoutingRule = typeof routingRules.$inferInsert;
