import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { shopifyFulfillmentPushes, shopifyInventoryPushes, shopifyWebhookDeliveries, webhookDeliveries } from "@/db/schema";
import { feedHoldBack } from "@/lib/api/pagination";
import { openExceptionsByKind, stuckOrdersByStage } from "@/lib/overview/attention";
import { loadSyncHeadlines } from "@/lib/overview/sync";
import { METRIC, recordMetrics, type MetricInput } from "./record";

/**
 * Samples the gauges of the health page: dead-letter depth per queue, the age of the oldest stock change still
 * on its way to Shopify, and how far an open transaction holds the partner feeds back. Counts use the
 * partial/state indexes of each table.
 */
export async function sampleGauges(db: DbOrTx, options: { overview?: boolean } = { overview: true }): Promise<void> {
  const holdBack = await feedHoldBack(db);
  const [row] = await queryRows<{ fulfillment: number; inventory: number; shopify_orders: number; partner_webhooks: number; pending_age: number | null }>(
    db,
    sql`select
          (select count(*)::int from ${shopifyFulfillmentPushes} where state = 'dead') as fulfillment,
          (select count(*)::int from ${shopifyInventoryPushes} where state = 'dead') as inventory,
          (select count(*)::int from ${shopifyWebhookDeliveries} where state = 'dead') as shopify_orders,
          (select count(*)::int from ${webhookDeliveries} where status = 'dead') as partner_webhooks,
          (select extract(epoch from now() - min(dirty_since))::float8 from ${shopifyInventoryPushes} where state = 'pending') as pending_age`,
  );
  await recordMetrics(db, [
    { name: METRIC.deadLetterDepth, value: row.fulfillment, labels: { queue: "shopify_fulfillments" } },
    { name: METRIC.deadLetterDepth, value: row.inventory, labels: { queue: "shopify_inventory" } },
    { name: METRIC.deadLetterDepth, value: row.shopify_orders, labels: { queue: "shopify_orders" } },
    { name: METRIC.deadLetterDepth, value: row.partner_webhooks, labels: { queue: "partner_webhooks" } },
    { name: METRIC.inventoryPendingAge, value: Math.max(0, row.pending_age ?? 0) },
    { name: METRIC.feedHoldBack, value: holdBack.seconds },
    ...(options.overview ? await overviewGauges(db) : []),
  ]);
}

/** The overview's gauges are sampled on every fifth pass of the health page's (every 5 min at the default 60 s). */
export const OVERVIEW_SAMPLE_EVERY = 5;

/**
 * What the home overview's sparklines are drawn from: the same figures its tiles show now, sampled every few passes
 * (OVERVIEW_SAMPLE_EVERY: an hourly point needs a handful of samples, and every sample is a row each view reads).
 * Per-kind and per-stage rows only while non-zero (a quiet day writes two rows, not sixteen), beside an "all" row
 * that says the pass happened, so a missing kind reads as zero.
 */
export async function overviewGauges(db: DbOrTx): Promise<MetricInput[]> {
  const now = new Date();
  const kinds = await openExceptionsByKind(db, now);
  const stages = await stuckOrdersByStage(db, now);
  const sync = await loadSyncHeadlines(db, now);
  const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
  return [
    { name: METRIC.openExceptions, value: total(kinds), labels: { kind: "all" } },
    ...kinds.map((k) => ({ name: METRIC.openExceptions, value: k.count, labels: { kind: k.key } })),
    { name: METRIC.stuckOrders, value: total(stages), labels: { stage: "all" } },
    ...stages.map((s) => ({ name: METRIC.stuckOrders, value: s.count, labels: { stage: s.key } })),
    { name: METRIC.shopifyPushLag, value: sync.shopifyPushLagSeconds },
    { name: METRIC.webhookBacklog, value: sync.webhookBacklog },
    { name: METRIC.webhookFailingEndpoints, value: sync.failingEndpoints },
    { name: METRIC.failedWarehouseEvents, value: sync.failedWarehouseEvents },
  ];
}
