import { and, asc, eq, isNotNull, ne, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { shopifyInventoryPushes, skuMappings, skus, type ShopConnection } from "@/db/schema";
import { env } from "@/lib/env";
import { METRIC, recordMetrics, type MetricInput } from "@/lib/metrics/record";
import { asAdminError } from "@/lib/channels/shopify/admin/errors";
import type { CostLimiter } from "@/lib/channels/shopify/admin/limiter";
import { inventoryAvailableAt } from "@/lib/channels/shopify/admin/operations";
import { advanceCursor, cursorLastRun, forEachConnection, openShop, scanWindow, type PushScope } from "./common";
import { hubAvailable, upsertPushRows } from "./inventory";

/** Seconds between passes: SHOPIFY_RECONCILE_INTERVAL_SECONDS overrides every connection's own interval (tests). */
export function reconcileIntervalSeconds(connection: Pick<ShopConnection, "inventorySyncIntervalSeconds">): number {
  return env().SHOPIFY_RECONCILE_INTERVAL_SECONDS ?? connection.inventorySyncIntervalSeconds;
}

export type ReconcileResult = { checked: number; drifted: number };

/**
 * One reconciliation pass for a shop: not a full refresh. It re-reads Shopify's `available` for the variants whose
 * SKU moved since the last pass plus a rolling slice of the least recently checked ones, and where Shopify's figure
 * differs from the hub's it takes Shopify's figure as the new compare-and-swap base and queues a push of the hub's.
 */
export async function reconcileConnection(db: Db, connection: ShopConnection, options: { limiter?: CostLimiter; horizon?: string } = {}): Promise<ReconcileResult> {
  const { from, to } = await scanWindow(db, connection, "reconcile", options.horizon);
  // Mappings or locations added since the last pass get their rows (and so their first push) here.
  await upsertPushRows(db, connection, sql`true`, "ensure");
  const t = shopifyInventoryPushes;
  const changed = await queryRows<{ id: string }>(
    db,
    sql`select p.id from ${t} p join ${skus} s on s.id = p.sku_id
         where p.connection_id = ${connection.id} and p.state = 'synced'
           and s.updated_at >= ${from}::timestamptz and s.updated_at < ${to}::timestamptz`,
  );
  const slice = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.connectionId, connection.id), eq(t.state, "synced")))
    .orderBy(sql`${t.lastReconciledAt} asc nulls first`, asc(t.id))
    // Besides the changed rows, the least recently checked ones: every row comes round in turn.
    .limit(env().SHOPIFY_RECONCILE_SLICE);
  const ids = [...new Set([...changed.map((r) => r.id), ...slice.map((r) => r.id)])];
  const session = await openShop(db, connection.id, options);
  if (!ids.length || !session) {
    await advanceCursor(db, connection.id, "reconcile", to);
    return { checked: 0, drifted: 0 };
  }

  const rows = await db
    .select({ push: t, inventoryItemId: skuMappings.inventoryItemId })
    .from(t)
    .innerJoin(skuMappings, eq(skuMappings.id, t.skuMappingId))
    .where(and(sql`${t.id} in ${ids}`, isNotNull(skuMappings.inventoryItemId), ne(t.state, "dead")));
  const byLocation = new Map<string, typeof rows>();
  for (const row of rows) byLocation.set(row.push.locationGid, [...(byLocation.get(row.push.locationGid) ?? []), row]);

  let drifted = 0;
  const metrics: MetricInput[] = [];
  try {
    for (const [locationGid, group] of byLocation) {
      const shopify = await inventoryAvailableAt(session.client, group.map((r) => r.inventoryItemId!), locationGid);
      for (const { push, inventoryItemId } of group) {
        const theirs = shopify.get(inventoryItemId!);
        const ours = await hubAvailable(db, push.skuId, push.warehouseId);
        if (theirs !== undefined && theirs !== ours) {
          drifted += 1;
          metrics.push({ name: METRIC.inventoryDrift, value: Math.abs(theirs - ours), accountId: push.accountId, environment: push.environment, labels: { shop: connection.shopDomain, sku_id: push.skuId, location: locationGid } });
          // Only a row nobody touched since we read it: a concurrent push already knows better.
          await db
            .update(t)
            .set({ lastPushedQuantity: theirs, changeSeq: sql`${t.changeSeq} + 1`, state: "pending", dirtySince: sql`coalesce(${t.dirtySince}, now())`, nextAttemptAt: sql`now()`, lastReconciledAt: sql`now()` })
            .where(and(eq(t.id, push.id), eq(t.state, "synced"), eq(t.changeSeq, push.changeSeq)));
        } else {
          await db
            .update(t)
            .set({ lastReconciledAt: sql`now()`, ...(theirs !== undefined ? { lastPushedQuantity: theirs } : {}) })
            .where(and(eq(t.id, push.id), eq(t.changeSeq, push.changeSeq)));
        }
      }
    }
  } catch (raw) {
    // A failed pass leaves the watermark where it was: the same SKUs are checked next time.
    const error = asAdminError(raw, `reconciliation of ${connection.shopDomain}`);
    console.error(`reconciliation of ${connection.shopDomain} failed: ${error.message}`);
    return { checked: rows.length, drifted };
  }
  await recordMetrics(db, metrics);
  await advanceCursor(db, connection.id, "reconcile", to);
  return { checked: rows.length, drifted };
}

/** Runs a pass for every active connection in scope whose interval has elapsed. */
export async function runReconciliation(db: Db, options: { limiter?: CostLimiter; force?: boolean } & PushScope = {}): Promise<number> {
  return forEachConnection(db, { accountId: options.accountId }, async (connection, horizon) => {
    const last = await cursorLastRun(db, connection.id, "reconcile");
    if (!options.force && last && Date.now() - last.getTime() < reconcileIntervalSeconds(connection) * 1000) return 0;
    return (await reconcileConnection(db, connection, { limiter: options.limiter, horizon })).drifted;
  });
}
