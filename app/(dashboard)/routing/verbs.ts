/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import { routingRuleState, warehouseSubject } from "@/lib/audit/subjects";
import { ActionRefusal, type Changed, defineAction, recordChange } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { formScope, scopeFields } from "@/lib/dashboard/ops-scope";
import { createRoutingRule, deleteRoutingRule, listRoutingRules, moveRoutingRule, updateRoutingRule } from "@/lib/routing/rules";
import { setWarehouseAvailability } from "@/lib/routing/warehouses";
import { formFieldOf, readRuleDraft } from "./rule-input";

const ruleSchema = z
  .object({
    ...scopeFields,
    id: formField.text(),
    name: formField.text(),
    priority: formField.text(),
    active: formField.checkbox(),
    countries: formField.text(),
    states: formField.text(),
    skus: formField.text(),
    tags: formField.text(),
    minOrderValue: formField.text(),
    maxOrderValue: formField.text(),
    warehouseIds: formField.repeated(),
  })
  // The same checks the form runs as the user types; the routing domain validates again.
  .transform(({ account, env, id, ...draft }, ctx) => {
    const { values, fieldErrors } = readRuleDraft(draft);
    for (const [field, message] of Object.entries(fieldErrors)) ctx.addIssue({ code: "custom", path: [field], message });
    return values ? { account, env, id, values } : z.NEVER;
  });

const ruleRef = z.object({ ...scopeFields, id: formField.text() });
const rules = { roles: CHANNEL_OPS_ROLES, formField: formFieldOf };

/** Creates or edits a rule; the routing domain validates again (warehouses of the environment, value range). */
export const saveRuleAction = defineAction({ ...rules, schema: ruleSchema, audit: recordChange }, async ({ input, db }): Promise<Changed> => {
  const scope = await formScope(db, input);
  const before = input.id ? (await listRoutingRules(db, scope)).find((r) => r.id === input.id) : undefined;
  const saved = input.id ? await updateRoutingRule(db, scope, input.id, input.values) : await createRoutingRule(db, scope, input.values);
  return {
    message: `${input.id ? "Saved" : "Created"} rule "${saved.name}".`,
    change: {
      entityType: "routing_rule",
      entityId: saved.id,
      action: before ? "updated" : "created",
      before: before && routingRuleState(before),
      after: routingRuleState(saved),
      accountId: scope.accountId,
      environment: scope.environment,
    },
  };
});

export const deleteRuleAction = defineAction({ ...rules, schema: ruleRef, audit: recordChange }, async ({ input, db }): Promise<Changed> => {
  const scope = await formScope(db, input);
  const before = (await listRoutingRules(db, scope)).find((r) => r.id === input.id);
  await deleteRoutingRule(db, scope, input.id);
  return {
    message: "Rule deleted.",
    change: { entityType: "routing_rule", entityId: input.id, action: "deleted", before: before && routingRuleState(before), accountId: scope.accountId, environment: scope.environment },
  };
});

/** Moves a rule one place up or down: the account's rules are renumbered 10, 20, 30… in the new order. */
export const moveRuleAction = defineAction(
  { ...rules, schema: ruleRef.extend({ direction: z.enum(["up", "down"]) }), audit: recordChange },
  async ({ input, db }): Promise<Changed> => {
    const scope = await formScope(db, input);
    // The rule's place among the account's rules, as names in the order routing runs them.
    const order = (list: { id: string; name: string; priority: number }[]) => ({
      priority: list.find((r) => r.id === input.id)?.priority,
      order: list.map((r) => r.name),
    });
    const before = order(await listRoutingRules(db, scope));
    const after = order(await moveRoutingRule(db, scope, input.id, input.direction));
    return {
      message: "Order changed.",
      change: { entityType: "routing_rule", entityId: input.id, action: `moved_${input.direction}`, before, after, accountId: scope.accountId, environment: scope.environment },
    };
  },
);

const warehouseSchema = z.object({
  id: formField.text(),
  env: formField.text().transform((env) => (env === "live" ? "live" : "sandbox")),
  paused: formField.checkbox(),
  dailyCapacity: formField
    .text()
    .transform((value) => value.trim())
    .pipe(z.string().regex(/^\d{0,7}$/, "A whole number of orders per day, or empty for no limit."))
    .transform((value) => (value ? Number(value) : null))
    .pipe(z.number().max(1_000_000, "At most 1000000 orders a day.").nullable()),
});

/** Pauses/resumes a warehouse and sets its daily capacity (the 3PL's warehouse: every account's routing sees it). */
export const saveWarehouseAction = defineAction({ roles: CHANNEL_OPS_ROLES, schema: warehouseSchema, audit: recordChange }, async ({ input, db }): Promise<Changed> => {
  const before = await warehouseSubject(db, input.env, input.id);
  const row = await setWarehouseAvailability(db, input.env, input.id, { paused: input.paused, dailyCapacity: input.dailyCapacity });
  if (!row || !before) throw new ActionRefusal("This warehouse no longer exists; reload the page.");
  const after = await warehouseSubject(db, input.env, input.id);
  return {
    message: `${row.name}: ${row.paused ? "paused" : "taking orders"}, ${row.dailyCapacity === null ? "no daily limit" : `${row.dailyCapacity} orders a day`}.`,
    change: { entityType: "warehouse", entityId: row.id, action: "availability_changed", before: before.state, after: after?.state, environment: input.env },
  };
});
