import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { metricSamples, shopConnections } from "@/db/schema";
import { env } from "@/lib/env";
import { METRIC } from "./record";

export type Point = { t: string; [series: string]: number | string | null };

export type HealthSeries = {
  bucketMinutes: number;
  /** Median and worst order submission lag per bucket, in minutes. */
  submissionLag: Point[];
  /** Unmapped channel order lines as a percentage of all lines. */
  unmappedRate: Point[];
  fulfillmentCallback: Point[];
  /** Inventory sync lag (pushes) and the age of the oldest change still waiting, in seconds. */
  inventoryLag: Point[];
  apiErrors: Point[];
  deadLetters: Point[];
  /** The worst sampled hold-back of the partner feeds per bucket, in seconds. */
  feedHoldBack: Point[];
  /** The alert line of the inventory chart: twice the configured sync interval. */
  inventoryLagThresholdSeconds: number;
  empty: boolean;
};

const round = (n: number | null) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);

/**
 * The health page's series over the last `hours`, bucketed in SQL (date_bin) so the page receives a few hundred
 * points whatever the number of samples. Alert thresholds are the guide's.
 */
export async function loadHealthSeries(db: DbOrTx, options: { hours?: number } = {}): Promise<HealthSeries> {
  const hours = options.hours ?? 24;
  const bucketMinutes = hours <= 6 ? 5 : 15;
  const bucket = sql.raw(`'${bucketMinutes} minutes'::interval`);
  const since = sql`now() - make_interval(hours => ${hours})`;
  const rows = await queryRows<{ t: string; name: string; label: string | null; p50: number | null; max: number | null; sum: number | null; n: number }>(
    db,
    sql`select to_char(date_bin(${bucket}, recorded_at, timestamptz '2000-01-01') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t,
               name,
               case when name = ${METRIC.adminApiError} then labels->>'type' else null end as label,
               percentile_cont(0.5) within group (order by value) as p50,
               max(value) as max, sum(value) as sum, count(*)::int as n
          from ${metricSamples}
         where recorded_at >= ${since} and name <> ${METRIC.deadLetterDepth}
         group by 1, 2, 3 order by 1`,
  );
  // Dead-letter depth is sampled per queue at one instant: add the queues up per instant, keep the worst per bucket.
  const depth = await queryRows<{ t: string; depth: number }>(
    db,
    sql`select to_char(date_bin(${bucket}, recorded_at, timestamptz '2000-01-01') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t, max(total) as depth
          from (select recorded_at, sum(value) as total from ${metricSamples}
                 where name = ${METRIC.deadLetterDepth} and recorded_at >= ${since} group by recorded_at) s
         group by 1 order by 1`,
  );
  const [interval] = await queryRows<{ seconds: number | null }>(db, sql`select min(inventory_sync_interval_seconds)::int as seconds from ${shopConnections} where active`);
  const syncInterval = env().SHOPIFY_RECONCILE_INTERVAL_SECONDS ?? interval?.seconds ?? 900;

  const series = (build: (acc: Map<string, Point>, r: (typeof rows)[number]) => void): Point[] => {
    const acc = new Map<string, Point>();
    for (const r of rows) build(acc, r);
    return [...acc.values()].sort((a, b) => (a.t < b.t ? -1 : 1));
  };
  const at = (acc: Map<string, Point>, t: string) => {
    let p = acc.get(t);
    if (!p) acc.set(t, (p = { t }));
    return p;
  };

  const lines = new Map(rows.filter((r) => r.name === METRIC.orderLines).map((r) => [r.t, Number(r.sum)]));
  return {
    bucketMinutes,
    submissionLag: series((acc, r) => {
      if (r.name !== METRIC.orderSubmissionLag) return;
      Object.assign(at(acc, r.t), { median: round(Number(r.p50) / 60), worst: round(Number(r.max) / 60) });
    }),
    unmappedRate: series((acc, r) => {
      if (r.name !== METRIC.unmappedOrderLines) return;
      const total = lines.get(r.t) ?? 0;
      at(acc, r.t).rate = total > 0 ? round((Number(r.sum) / total) * 100) : 0;
    }),
    fulfillmentCallback: series((acc, r) => {
      if (r.name !== METRIC.fulfillmentCallback) return;
      Object.assign(at(acc, r.t), { median: round(r.p50), worst: round(r.max) });
    }),
    inventoryLag: series((acc, r) => {
      if (r.name === METRIC.inventorySyncLag) Object.assign(at(acc, r.t), { median: round(r.p50), worst: round(r.max) });
      if (r.name === METRIC.inventoryPendingAge) at(acc, r.t).waiting = round(r.max);
    }),
    apiErrors: series((acc, r) => {
      if (r.name !== METRIC.adminApiError) return;
      at(acc, r.t)[r.label === "permanent" ? "permanent" : "transient"] = Number(r.n);
    }),
    deadLetters: depth.map((d) => ({ t: d.t, depth: Number(d.depth) })),
    feedHoldBack: series((acc, r) => {
      if (r.name === METRIC.feedHoldBack) at(acc, r.t).worst = round(r.max);
    }),
    inventoryLagThresholdSeconds: 2 * syncInterval,
    empty: rows.length === 0 && depth.length === 0,
  };
}
