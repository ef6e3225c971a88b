import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { shopifyFulfillmentPushes, shopifyInventoryPushes, warehouseEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { feedHoldBack } from "@/lib/api/pagination";
import type { AttentionScope } from "./attention";

export type SyncHeadlines = {
  /** Age of the oldest change still owed to Shopify (a fulfillment or a stock figure), in seconds; 0 when none waits. */
  shopifyPushLagSeconds: number;
  /** Pushes to Shopify that gave up: what the channel failures list shows. */
  shopifyDeadLetters: number;
  /** Partner webhook deliveries still to be made, and the oldest of them in seconds. */
  webhookBacklog: number;
  webhookOldestSeconds: number;
  /** Endpoints failing now (failing since a time) or disabled for failing. */
  failingEndpoints: number;
  webhookDeadLetters: number;
  /** How far an open transaction holds the partner feeds back, in seconds. */
  feedHoldBackSeconds: number;
  /** Warehouse and carrier reports that could not be applied. */
  failedWarehouseEvents: number;
};

/**
 * The sync health headlines at `now`. Each count reads a partial or state index of its queue (pending and dead rows
 * are few; delivered ones, the millions, are never read).
 */
export async function loadSyncHeadlines(db: DbOrTx, now: Date, scope: AttentionScope = {}): Promise<SyncHeadlines> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const of = (alias: string) => (scope.accountId ? sql` and ${sql.raw(alias)}.account_id = ${scope.accountId}` : sql``);
  const [row] = await queryRows<{
    fulfillment_age: number | null;
    inventory_age: number | null;
    shopify_dead: number;
    backlog: number;
    backlog_age: number | null;
    failing: number;
    webhook_dead: number;
    failed_events: number;
  }>(
    db,
    sql`select
          (select extract(epoch from ${at} - min(f.created_at))::float8 from ${shopifyFulfillmentPushes} f where f.state = 'pending'${of("f")}) as fulfillment_age,
          (select extract(epoch from ${at} - min(i.dirty_since))::float8 from ${shopifyInventoryPushes} i where i.state = 'pending'${of("i")}) as inventory_age,
          (select count(*)::int from ${shopifyFulfillmentPushes} f where f.state = 'dead'${of("f")})
            + (select count(*)::int from ${shopifyInventoryPushes} i where i.state = 'dead'${of("i")}) as shopify_dead,
          (select count(*)::int from ${webhookDeliveries} d where d.status = 'pending'${of("d")}) as backlog,
          (select extract(epoch from ${at} - min(d.created_at))::float8 from ${webhookDeliveries} d where d.status = 'pending'${of("d")}) as backlog_age,
          (select count(*)::int from ${webhookEndpoints} e
            where e.deleted_at is null and (e.failing_since is not null or e.status = 'disabled')${of("e")}) as failing,
          (select count(*)::int from ${webhookDeliveries} d where d.status = 'dead'${of("d")}) as webhook_dead,
          (select count(*)::int from ${warehouseEvents} w where w.state = 'failed'${of("w")}) as failed_events`,
  );
  const holdBack = scope.accountId ? { seconds: 0 } : await feedHoldBack(db);
  const seconds = (x: number | null) => Math.max(0, Math.round(Number(x ?? 0)));
  return {
    shopifyPushLagSeconds: Math.max(seconds(row.fulfillment_age), seconds(row.inventory_age)),
    shopifyDeadLetters: Number(row.shopify_dead),
    webhookBacklog: Number(row.backlog),
    webhookOldestSeconds: seconds(row.backlog_age),
    failingEndpoints: Number(row.failing),
    webhookDeadLetters: Number(row.webhook_dead),
    feedHoldBackSeconds: Math.round(holdBack.seconds),
    failedWarehouseEvents: Number(row.failed_events),
  };
}
