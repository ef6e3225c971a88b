import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { routingRules, warehouses, type RoutingConditions, type RoutingRule } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError, NotFoundError } from "@/lib/errors";
import { validateBody } from "@/lib/api/request";
import type { Tenant } from "@/lib/context";
import { newId } from "@/lib/ids";
import { createRoutingRuleSchema, updateRoutingRuleSchema, type CreateRoutingRuleInput, type UpdateRoutingRuleInput } from "./schema";

export type RoutingRuleObject = {
  id: string;
  name: string;
  priority: number;
  active: boolean;
  conditions: RoutingConditions;
  warehouse_ids: string[];
  created_at: string;
  updated_at: string;
};

export function presentRoutingRule(rule: RoutingRule): RoutingRuleObject {
  return {
    id: rule.id,
    name: rule.name,
    priority: rule.priority,
    active: rule.active,
    conditions: rule.conditions,
    warehouse_ids: rule.warehouseIds,
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}

/** The account's rules in the order routing runs them. */
export async function listRoutingRules(db: DbOrTx, ctx: Tenant): Promise<RoutingRuleObject[]> {
  const rows = await db
    .select()
    .from(routingRules)
    .where(and(eq(routingRules.accountId, ctx.accountId), eq(routingRules.environment, ctx.environment)))
    .orderBy(asc(routingRules.priority), asc(routingRules.id));
  return rows.map(presentRoutingRule);
}

async function assertWarehouses(db: DbOrTx, ctx: Tenant, ids: string[]): Promise<void> {
  const found = await db
    .select({ id: warehouses.id })
    .from(warehouses)
    .where(and(inArray(warehouses.id, ids), eq(warehouses.environment, ctx.environment)));
  const known = new Set(found.map((w) => w.id));
  const index = ids.findIndex((id) => !known.has(id));
  if (index >= 0) throw new DomainError("invalid_warehouse", `warehouse_ids[${index}] is not a known warehouse.`, `warehouse_ids[${index}]`);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (dup >= 0) throw new DomainError("validation_error", `warehouse_ids[${dup}] repeats a warehouse.`, `warehouse_ids[${dup}]`);
}

export async function createRoutingRule(db: DbOrTx, ctx: Tenant, input: CreateRoutingRuleInput): Promise<RoutingRuleObject> {
  const data = validateBody(input, createRoutingRuleSchema);
  await assertWarehouses(db, ctx, data.warehouse_ids);
  const [row] = await db
    .insert(routingRules)
    .values({
      id: newId("rr"),
      accountId: ctx.accountId,
      environment: ctx.environment,
      name: data.name,
      priority: data.priority,
      active: data.active,
      conditions: data.conditions,
      warehouseIds: data.warehouse_ids,
    })
    .returning();
  return presentRoutingRule(row);
}

export async function updateRoutingRule(db: DbOrTx, ctx: Tenant, id: string, input: UpdateRoutingRuleInput): Promise<RoutingRuleObject> {
  const data = validateBody(input, updateRoutingRuleSchema);
  if (data.warehouse_ids) await assertWarehouses(db, ctx, data.warehouse_ids);
  if (!Object.values(data).some((v) => v !== undefined)) {
    const current = (await listRoutingRules(db, ctx)).find((r) => r.id === id);
    if (!current) throw new NotFoundError("Routing rule", id);
    return current;
  }
  const [row] = await db
    .update(routingRules)
    .set({
      ...(data.name !== undefined ? { name: data.name } : {}),
      ...(data.priority !== undefined ? { priority: data.priority } : {}),
      ...(data.active !== undefined ? { active: data.active } : {}),
      ...(data.conditions !== undefined ? { conditions: data.conditions } : {}),
      ...(data.warehouse_ids !== undefined ? { warehouseIds: data.warehouse_ids } : {}),
    })
    .where(and(eq(routingRules.id, id), eq(routingRules.accountId, ctx.accountId), eq(routingRules.environment, ctx.environment)))
    .returning();
  if (!row) throw new NotFoundError("Routing rule", id);
  return presentRoutingRule(row);
}

export async function deleteRoutingRule(db: DbOrTx, ctx: Tenant, id: string): Promise<void> {
  const deleted = await db
    .delete(routingRules)
    .where(and(eq(routingRules.id, id), eq(routingRules.accountId, ctx.accountId), eq(routingRules.environment, ctx.environment)))
    .returning({ id: routingRules.id });
  if (!deleted.length) throw new NotFoundError("Routing rule", id);
}

/**
 * Moves a rule one place up or down in the order routing runs them: the account's rules are renumbered 10, 20,
 * 30… in the new order. They are locked first, so two moves at once apply one after the other. Moving the first
 * rule up (or the last down) changes nothing. Returns the rules in their new order.
 */
export async function moveRoutingRule(db: Db, ctx: Tenant, id: string, direction: "up" | "down"): Promise<RoutingRuleObject[]> {
  return inTransaction(db, async (tx) => {
    const rows = await tx
      .select({ id: routingRules.id, priority: routingRules.priority })
      .from(routingRules)
      .where(and(eq(routingRules.accountId, ctx.accountId), eq(routingRules.environment, ctx.environment)))
      .orderBy(asc(routingRules.priority), asc(routingRules.id))
      .for("update");
    const from = rows.findIndex((r) => r.id === id);
    if (from < 0) throw new NotFoundError("Routing rule", id);
    const to = from + (direction === "up" ? -1 : 1);
    if (to >= 0 && to < rows.length) {
      [rows[from], rows[to]] = [rows[to], rows[from]];
      for (const [i, row] of rows.entries()) {
        if (row.priority !== (i + 1) * 10) await updateRoutingRule(tx, ctx, row.id, { priority: (i + 1) * 10 });
      }
    }
    return listRoutingRules(tx, ctx);
  });
}
