import type { DbOrTx } from "@/db/client";
import { metricSamples, type Environment } from "@/db/schema";
import type { Tenant } from "@/lib/context";

/**
 * The integration-health metrics of the guide, one name each. Lags are in seconds. Counters are written as one row per
 * occurrence with value 1 (or a count), so a rate is a sum over a window; gauges are sampled periodically.
 */
export const METRIC = {
  /** Shopify orders/create received → hub order accepted (written by the intake). */
  orderSubmissionLag: "order_submission_lag_seconds",
  /** Lines of each submitted channel order, and how many of them had no SKU mapping: rate = sum(unmapped)/sum(lines). */
  orderLines: "channel_order_lines",
  unmappedOrderLines: "channel_order_lines_unmapped",
  /** Hub shipment created → Shopify fulfillment created. */
  fulfillmentCallback: "fulfillment_callback_seconds",
  /** Oldest unsynced stock change of a SKU at a location → Shopify has the figure. */
  inventorySyncLag: "inventory_sync_lag_seconds",
  /** Age of the oldest change still waiting to reach Shopify (sampled gauge). */
  inventoryPendingAge: "inventory_pending_age_seconds",
  /** One row per failed Admin API call; labels.type = transient | permanent, labels.code. */
  adminApiError: "admin_api_errors",
  /** Items that exhausted their retries and wait for a human (sampled gauge); labels.queue. */
  deadLetterDepth: "dead_letter_depth",
  /** How far the partner feeds' commit-safe horizon lags behind now (sampled gauge): an open transaction holds it. */
  feedHoldBack: "feed_hold_back_seconds",
  /** Exceptions in the queue (open, not snoozed), sampled per labels.kind while non-zero, and as labels.kind = "all". */
  openExceptions: "open_exceptions",
  /** Open stuck-order exceptions, per labels.stage while non-zero, and as labels.stage = "all". */
  stuckOrders: "stuck_orders",
  /** Age of the oldest change owed to Shopify, fulfillment or stock (sampled gauge, seconds). */
  shopifyPushLag: "shopify_push_lag_seconds",
  /** Partner webhook deliveries still to be made (sampled gauge). */
  webhookBacklog: "webhook_backlog",
  /** Webhook endpoints failing or disabled for failing (sampled gauge). */
  webhookFailingEndpoints: "webhook_failing_endpoints",
  /** Warehouse and carrier reports that could not be applied (sampled gauge). */
  failedWarehouseEvents: "failed_warehouse_events",
  /** Shopify's available figure differed from the hub's during reconciliation; value = |difference|. */
  inventoryDrift: "inventory_drift_units",
} as const;

/** Above this, the health page raises the partner feeds' hold-back as an alert. */
export const FEED_HOLD_BACK_ALERT_SECONDS = 60;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export type MetricInput = {
  name: MetricName;
  value: number;
  accountId?: string | null;
  environment?: Environment | null;
  labels?: Record<string, string>;
  recordedAt?: Date;
};

/** Records observations. Call inside the transaction of the change it measures when there is one. */
export async function recordMetrics(db: DbOrTx, samples: MetricInput[]): Promise<void> {
  const rows = samples.filter((s) => Number.isFinite(s.value));
  if (!rows.length) return;
  await db.insert(metricSamples).values(
    rows.map((s) => ({
      name: s.name,
      value: s.value,
      accountId: s.accountId ?? null,
      environment: s.environment ?? null,
      labels: s.labels ?? {},
      ...(s.recordedAt ? { recordedAt: s.recordedAt } : {}),
    })),
  );
}

export async function recordMetric(db: DbOrTx, sample: MetricInput): Promise<void> {
  await recordMetrics(db, [sample]);
}

/**
 * What the intake records when a Shopify order has been turned into a hub order: the submission lag and the line
 * counts that make the unmapped-SKU rate.
 */
export async function recordOrderSubmission(
  db: DbOrTx,
  input: Tenant & { shopDomain: string; lagSeconds: number; lines: number; unmappedLines: number },
): Promise<void> {
  const base = { accountId: input.accountId, environment: input.environment, labels: { shop: input.shopDomain } };
  await recordMetrics(db, [
    { ...base, name: METRIC.orderSubmissionLag, value: Math.max(0, input.lagSeconds) },
    { ...base, name: METRIC.orderLines, value: input.lines },
    { ...base, name: METRIC.unmappedOrderLines, value: input.unmappedLines },
  ]);
}
