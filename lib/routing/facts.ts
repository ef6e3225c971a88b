import { and, eq, gt, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inventoryLevels, orders, routingRules, warehouses } from "@/db/schema";
import type { DomainContext, Tenant } from "@/lib/context";
import type { RoutingFacts, WarehouseFacts } from "./engine";

/**
 * Gathers what routing decides on, from the hub's own tables only (no remote calls): the account's active
 * rules, every warehouse of the environment with its pause flag and today's routed count against capacity,
 * and the available units of the order's SKUs. Read without locks: the allocation that follows locks the
 * chosen warehouse's stock and re-checks.
 */
export async function loadRoutingFacts(db: DbOrTx, ctx: Tenant, skuIds: string[]): Promise<RoutingFacts> {
  const [rules, warehouseRows, levels] = await Promise.all([
    db
      .select()
      .from(routingRules)
      .where(and(eq(routingRules.accountId, ctx.accountId), eq(routingRules.environment, ctx.environment), eq(routingRules.active, true))),
    db.select().from(warehouses).where(eq(warehouses.environment, ctx.environment)),
    skuIds.length
      ? db
          .select({ skuId: inventoryLevels.skuId, warehouseId: inventoryLevels.warehouseId, onHand: inventoryLevels.onHand, allocated: inventoryLevels.allocated })
          .from(inventoryLevels)
          .where(and(inArray(inventoryLevels.skuId, skuIds), eq(inventoryLevels.accountId, ctx.accountId), gt(inventoryLevels.onHand, 0)))
      : Promise.resolve([]),
  ]);
  const routedToday = await countRoutedToday(
    db,
    ctx.environment,
    warehouseRows.filter((w) => w.dailyCapacity !== null).map((w) => w.id),
  );
  const facts = new Map<string, WarehouseFacts>(
    warehouseRows.map((w) => [
      w.id,
      {
        id: w.id,
        name: w.name,
        priority: w.priority,
        paused: w.paused,
        dailyCapacity: w.dailyCapacity,
        routedToday: routedToday.get(w.id) ?? 0,
        available: {},
        holdsAccountStock: false,
      },
    ]),
  );
  for (const level of levels) {
    const w = facts.get(level.warehouseId);
    if (!w) continue;
    w.available[level.skuId] = Math.max(0, level.onHand - level.allocated);
    w.holdsAccountStock = true;
  }
  return {
    rules: rules.map((r) => ({ id: r.id, name: r.name, priority: r.priority, active: r.active, conditions: r.conditions, warehouseIds: r.warehouseIds })),
    warehouses: [...facts.values()],
  };
}

/**
 * Orders routed to each warehouse since the start of its local day (cancelled ones free their slot).
 * Capacity is the warehouse's, so every account's orders count.
 */
async function countRoutedToday(db: DbOrTx, environment: DomainContext["environment"], warehouseIds: string[]): Promise<Map<string, number>> {
  if (!warehouseIds.length) return new Map();
  const rows = await db
    .select({ warehouseId: orders.warehouseId, count: sql<number>`count(*)::int` })
    .from(orders)
    .innerJoin(warehouses, eq(warehouses.id, orders.warehouseId))
    .where(
      and(
        eq(orders.environment, environment),
        isNotNull(orders.warehouseId),
        inArray(orders.warehouseId, warehouseIds),
        ne(orders.status, "cancelled"),
        sql`${orders.createdAt} >= (date_trunc('day', now() at time zone ${warehouses.timezone}) at time zone ${warehouses.timezone})`,
      ),
    )
    .groupBy(orders.warehouseId);
  return new Map(rows.map((r) => [r.warehouseId ?? "", Number(r.count)]));
}
