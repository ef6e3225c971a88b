import { countryCode, text, z } from "@/lib/api/zod";

/** What a rule matches on; see RoutingConditions in db/schema/routing.ts. */
export const routingConditionsSchema = z
  .object({
    countries: z.array(countryCode).max(250).optional(),
    states: z.array(text(100).min(1)).max(500).optional(),
    skus: z.array(text(200).min(1)).max(1000).optional(),
    tags: z.array(text(100).min(1)).max(100).optional(),
    min_order_value: z.number().nonnegative().max(1e12).optional(),
    max_order_value: z.number().nonnegative().max(1e12).optional(),
  })
  .strict()
  .refine((c) => c.min_order_value === undefined || c.max_order_value === undefined || c.min_order_value <= c.max_order_value, {
    message: "min_order_value must not exceed max_order_value",
    path: ["max_order_value"],
  })
  .openapi("RoutingConditions");

export const createRoutingRuleSchema = z
  .object({
    name: text(200).min(1),
    /** Lower runs first. */
    priority: z.number().int().min(0).max(1_000_000),
    active: z.boolean().default(true),
    conditions: routingConditionsSchema.default({}),
    warehouse_ids: z.array(z.string().min(1).max(100)).min(1).max(50),
  })
  .strict()
  .openapi("CreateRoutingRule");

export const updateRoutingRuleSchema = z
  .object({
    name: text(200).min(1),
    priority: z.number().int().min(0).max(1_000_000),
    active: z.boolean(),
    conditions: routingConditionsSchema,
    warehouse_ids: z.array(z.string().min(1).max(100)).min(1).max(50),
  })
  .partial()
  .strict()
  .openapi("UpdateRoutingRule");

export type CreateRoutingRuleInput = z.input<typeof createRoutingRuleSchema>;
export type UpdateRoutingRuleInput = z.input<typeof updateRoutingRuleSchema>;
