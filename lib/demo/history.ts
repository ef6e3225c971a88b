import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, type Environment } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { DomainContext } from "@/lib/context";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { EventType } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import { overviewGauges } from "@/lib/metrics/gauges";
import { METRIC, recordMetrics, type MetricInput } from "@/lib/metrics/record";
import { createReturn } from "@/lib/returns/create";
import { receiveReturn } from "@/lib/returns/receive";
import { claimDeliveries } from "@/lib/webhooks/claim";
import { claimOptions, deliveryOptions, recordAttempt } from "@/lib/webhooks/deliver";
import type { PostResult } from "@/lib/webhooks/http-client";
import { generateSigningSecret } from "@/lib/webhooks/signing";
import { secretContext } from "@/lib/webhooks/subscriptions";
import { processWarehouseEvent } from "@/lib/warehouse-events/process";

/**
 * The demo's past: partner webhooks with their deliveries, warehouse reports that could not be applied, a return
 * waiting for inspection, and 72 hours of integration metrics with an incident in them.
 */

const HOUR = 3_600_000;

export type DemoEndpoints = { healthy: string; failing: string };

/**
 * Two endpoints of the merchant's systems, before its orders are played so every shipment fans out to them as it
 * would. Written as createWebhook writes them, without its DNS check: the demo's hosts are `.example`, which never
 * resolve, so no demo ever posts to a real server.
 */
export async function seedWebhookEndpoints(db: Db, ctx: DomainContext): Promise<DemoEndpoints> {
  const endpoint = async (url: string, events: EventType[]) => {
    const id = newId("whk");
    await db.insert(webhookEndpoints).values({ id, accountId: ctx.accountId, environment: ctx.environment, url, events, secretCiphertext: encryptSecret(generateSigningSecret(), secretContext(id)) });
    return id;
  };
  return {
    healthy: await endpoint("https://erp.demo-merchant.example/hooks/fulfilment", ["shipment.created", "shipment.updated", "order.cancelled"]),
    failing: await endpoint("https://crm.demo-merchant.example/webhooks/hub", ["shipment.created", "order.cancelled"]),
  };
}

/**
 * Delivers what the orders queued through the worker's own claim and record steps, with the receivers' answers
 * given here (nothing is sent): the ERP answers 200, the CRM 503. The CRM's oldest delivery has been failing for
 * over a day, so its next failure exhausts the retry window and it becomes a dead letter.
 */
export async function settleWebhookDeliveries(db: Db, accountId: string, endpoints: DemoEndpoints): Promise<void> {
  const options = deliveryOptions({ accountId });
  const answer = (endpointId: string): PostResult =>
    endpointId === endpoints.healthy ? { statusCode: 200, responseBody: '{"received":true}', durationMs: 140 } : { statusCode: 503, responseBody: "Service Unavailable", durationMs: 2_900 };
  const round = async () => {
    const claimed = await claimDeliveries(db, claimOptions(options));
    for (const c of claimed) await recordAttempt(db, c, new Date(), answer(c.endpointId), options);
    return claimed.length;
  };
  while ((await round()) > 0);

  const [oldest] = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(sql`${webhookDeliveries.endpointId} = ${endpoints.failing} and ${webhookDeliveries.status} <> 'succeeded'`)
    .orderBy(webhookDeliveries.createdAt)
    .limit(1);
  if (!oldest) return;
  await db
    .update(webhookDeliveries)
    .set({ firstAttemptAt: new Date(Date.now() - 25 * HOUR), nextAttemptAt: sql`now()` })
    .where(eq(webhookDeliveries.id, oldest.id));
  await round();
}

/** Reports from the WMS the hub could not apply: a status nobody mapped, stock of a SKU the hub does not know. */
export async function seedFailedWarehouseEvents(db: Db, ctx: DomainContext, orderId: string, warehouseId: string): Promise<void> {
  const wms = { accountId: ctx.accountId, environment: ctx.environment, actor: "wms" };
  const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR).toISOString();
  await processWarehouseEvent(db, wms, { event_id: "wms-evt-90412", source: "wms", status: "QC_HOLD", order_id: orderId, occurred_at: hoursAgo(1.5), message: "Held at quality control: outer carton damaged" });
  await processWarehouseEvent(db, wms, {
    event_id: "wms-evt-90433",
    type: "inventory",
    source: "wms",
    sku: "WIDGET-GREEN-XL",
    warehouse_id: warehouseId,
    quantity_delta: 24,
    reason: "received",
    occurred_at: hoursAgo(0.5),
  });
}

/** A customer's return that arrived three days ago and nobody has inspected: stock held, not yet sellable. */
export async function seedWaitingReturn(db: Db, ctx: DomainContext, orderId: string, sku: string): Promise<void> {
  const { ret } = await createReturn(db, ctx, { order_id: orderId, rma: "RMA-100401", items: [{ sku, quantity: 1 }] });
  await inTransaction(db, (tx) => receiveReturn(tx, { ...ctx, source: "wms", actor: "wms" }, { returnId: ret.id, items: [{ sku, quantity: 1 }], receivedAt: new Date(Date.now() - 3 * 24 * HOUR) }));
}

/** 0..1 noise that is the same for the same inputs, so the charts look measured rather than random on each reload. */
function wobble(i: number, salt: number): number {
  const x = Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * 72 hours of the measurements the hub records, every 15 minutes, written through recordMetrics as the intake,
 * the pushes and the gauges write them. About 30 hours ago Shopify's Admin API slowed and then failed for two
 * hours: push lags climb, errors appear, two pushes die, the partner feeds are held back, then everything recovers.
 */
export async function seedMetricHistory(db: Db, tenant: { accountId: string; environment: Environment; shop: string }): Promise<number> {
  const now = Date.now();
  const step = 15 * 60_000;
  const incidentStart = now - 30 * HOUR;
  const incidentEnd = incidentStart + 2 * HOUR;
  const base = { accountId: tenant.accountId, environment: tenant.environment, labels: { shop: tenant.shop } };
  const samples: MetricInput[] = [];
  for (let i = 0, t = now - 72 * HOUR; t <= now - step; i++, t += step) {
    const at = new Date(t);
    const during = t >= incidentStart && t < incidentEnd;
    // How far into the incident (0..1), and a tail of an hour after it while queues drain.
    const depth = during ? (t - incidentStart) / (incidentEnd - incidentStart) : t >= incidentEnd && t < incidentEnd + HOUR ? 1 - (t - incidentEnd) / HOUR : 0;
    const busy = 0.6 + 0.4 * Math.sin(((t / HOUR) % 24) / 24 * 2 * Math.PI);
    const lines = Math.max(1, Math.round(6 * busy + 4 * wobble(i, 1)));
    samples.push(
      { ...base, name: METRIC.orderSubmissionLag, value: 20 + 40 * wobble(i, 2) + depth * 600, recordedAt: at },
      { ...base, name: METRIC.orderLines, value: lines, recordedAt: at },
      { ...base, name: METRIC.unmappedOrderLines, value: t > now - 6 * HOUR && wobble(i, 3) > 0.6 ? 1 : 0, recordedAt: at },
      { ...base, name: METRIC.fulfillmentCallback, value: 4 + 20 * wobble(i, 4) + depth * 1_700, recordedAt: at },
      { ...base, name: METRIC.inventorySyncLag, value: 30 + 60 * wobble(i, 5) + depth * 2_400, recordedAt: at },
      { ...base, name: METRIC.inventoryPendingAge, value: 10 + 40 * wobble(i, 6) + depth * 3_000, recordedAt: at },
      { name: METRIC.feedHoldBack, value: Math.round(wobble(i, 7) * 2 + (during ? 75 * depth : 0)), recordedAt: at },
      { name: METRIC.deadLetterDepth, value: t >= incidentStart + HOUR ? 2 : 0, labels: { queue: "shopify_fulfillments" }, recordedAt: at },
    );
    if (during) {
      for (let e = 0; e < 2 + Math.round(4 * depth); e++) samples.push({ ...base, name: METRIC.adminApiError, value: 1, labels: { ...base.labels, type: "transient", code: "HTTP_503" }, recordedAt: at });
    } else if (wobble(i, 8) > 0.93) {
      samples.push({ ...base, name: METRIC.adminApiError, value: 1, labels: { ...base.labels, type: wobble(i, 9) > 0.5 ? "transient" : "permanent", code: "THROTTLED" }, recordedAt: at });
    }
  }
  for (let from = 0; from < samples.length; from += 500) await recordMetrics(db, samples.slice(from, from + 500));
  return samples.length;
}

/**
 * The overview's last 24 hours: its figures as the gauges sample them, every 15 minutes, building up through the
 * day to what the demo holds now (work that waits accumulates), so every tile's sparkline has a shape. Run after
 * the detector pass, so the history ends at the figures the tiles show.
 */
export async function seedOverviewHistory(db: Db): Promise<number> {
  const now = Date.now();
  const step = 15 * 60_000;
  const current = await overviewGauges(db);
  const samples: MetricInput[] = [];
  for (let i = 0, t = now - 24 * HOUR; t <= now - step; i++, t += step) {
    const share = 0.25 + 0.75 * ((t - (now - 24 * HOUR)) / (24 * HOUR));
    for (const gauge of current) {
      const value = gauge.name === METRIC.shopifyPushLag ? gauge.value * (0.5 + wobble(i, 11)) : Math.round(gauge.value * share * (0.85 + 0.3 * wobble(i, 12)));
      samples.push({ ...gauge, value, recordedAt: new Date(t) });
    }
  }
  samples.push(...current);
  for (let from = 0; from < samples.length; from += 500) await recordMetrics(db, samples.slice(from, from + 500));
  return samples.length;
}
