import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { metricSamples, shipments } from "@/db/schema";
import { METRIC } from "@/lib/metrics/record";

/** A tile's last 24 hours: one value per hour, oldest first; null where nothing was sampled in that hour. */
export type Spark = (number | null)[];

export const SPARK_HOURS = 24;

/** The series a tile can ask for, each read from what the metrics loop samples (lib/metrics/gauges.ts). */
export type SparkRequest = {
  exceptionKinds?: boolean;
  stuckStages?: boolean;
  sync?: boolean;
  /** Orders shipped per hour from these warehouses, counted on the shipments' warehouse/shipped_at index. */
  warehouseIds?: string[];
};

/** A series sampled per label: each label's hours, and the hours of a label never seen (zero whenever the loop ran). */
export type LabelledSparks = { byLabel: Map<string, Spark>; quiet: Spark };

export type Sparks = {
  /** Hour 0 starts here: 24 hours before now. */
  start: string;
  exceptionKinds: LabelledSparks;
  stuckStages: LabelledSparks;
  sync: Map<string, Spark>;
  warehouses: Map<string, Spark>;
};

/** The sync series by tile key: the metric, and how an hour's samples become one value (the worst). */
const SYNC_SERIES: Record<string, string> = {
  shopify_lag: METRIC.shopifyPushLag,
  webhook_backlog: METRIC.webhookBacklog,
  feed_hold_back: METRIC.feedHoldBack,
  failed_events: METRIC.failedWarehouseEvents,
};

export const emptySpark = (): Spark => Array.from({ length: SPARK_HOURS }, () => null);

/**
 * The sparklines of the overview's tiles, in one statement over metric_samples (its name/recorded_at index: a day
 * of one-minute samples of the few series asked for) and one over the shipments of the listed warehouses. A labelled
 * series (exceptions per kind, stuck orders per stage) is written only while non-zero, beside an "all" sample on
 * every pass: an hour with the pass but without the label was zero.
 */
export async function loadSparks(db: DbOrTx, now: Date, request: SparkRequest): Promise<Sparks> {
  const start = new Date(now.getTime() - SPARK_HOURS * 3600_000);
  const from = sql`${start.toISOString()}::timestamptz`;
  const to = sql`${now.toISOString()}::timestamptz`;
  // The hour a sample falls in, counted from the window's start. date_bin and float arithmetic: extract(epoch …) is
  // numeric, and numeric division per sample was half the cost of the statement.
  const hour = (column: ReturnType<typeof sql>) => sql`(extract(epoch from date_bin('1 hour', ${column}, ${from}) - ${from})::float8 / 3600)::int`;
  const names: string[] = [];
  if (request.exceptionKinds) names.push(METRIC.openExceptions);
  if (request.stuckStages) names.push(METRIC.stuckOrders);
  if (request.sync) names.push(...Object.values(SYNC_SERIES));
  const sparks: Sparks = {
    start: start.toISOString(),
    exceptionKinds: { byLabel: new Map(), quiet: emptySpark() },
    stuckStages: { byLabel: new Map(), quiet: emptySpark() },
    sync: new Map(),
    warehouses: new Map(),
  };

  if (names.length) {
    const raw = await queryRows<{ name: string; label: string; h: number; v: number }>(
      db,
      sql`select name, coalesce(labels->>'kind', labels->>'stage', '') as label, ${hour(sql`recorded_at`)} as h, max(value)::float8 as v
            from ${metricSamples}
           where name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)}) and recorded_at > ${from} and recorded_at <= ${to}
           group by 1, 2, 3
          ${
            request.sync
              ? sql`union all
          select 'shopify_dead', '', h, max(total)::float8 from (
            select ${hour(sql`recorded_at`)} as h, recorded_at, sum(value) as total
              from ${metricSamples}
             where name = ${METRIC.deadLetterDepth} and labels->>'queue' in ('shopify_fulfillments', 'shopify_inventory')
               and recorded_at > ${from} and recorded_at <= ${to}
             group by recorded_at) s
           group by h`
              : sql``
          }`,
    );
    const rows = raw.map((r) => ({ ...r, h: Number(r.h) }));
    const labelled = (name: string, into: LabelledSparks) => {
      const passes = rows.filter((r) => r.name === name && r.label === "all" && r.h >= 0 && r.h < SPARK_HOURS).map((r) => Number(r.h));
      for (const h of passes) into.quiet[h] = 0;
      for (const r of rows) {
        if (r.name !== name || r.label === "all" || r.label === "" || r.h < 0 || r.h >= SPARK_HOURS) continue;
        if (!into.byLabel.has(r.label)) into.byLabel.set(r.label, [...into.quiet]);
        into.byLabel.get(r.label)![r.h] = Number(r.v);
      }
    };
    if (request.exceptionKinds) labelled(METRIC.openExceptions, sparks.exceptionKinds);
    if (request.stuckStages) labelled(METRIC.stuckOrders, sparks.stuckStages);
    if (request.sync) {
      const metricToKey = new Map(Object.entries(SYNC_SERIES).map(([key, name]) => [name as string, key]));
      metricToKey.set("shopify_dead", "shopify_dead");
      for (const r of rows) {
        const key = metricToKey.get(r.name);
        if (!key || r.h < 0 || r.h >= SPARK_HOURS) continue;
        if (!sparks.sync.has(key)) sparks.sync.set(key, emptySpark());
        sparks.sync.get(key)![r.h] = Number(r.v);
      }
    }
  }

  if (request.warehouseIds?.length) {
    const rows = await queryRows<{ warehouse_id: string; h: number; n: number }>(
      db,
      sql`select s.warehouse_id, ${hour(sql`s.shipped_at`)} as h, count(distinct s.order_id)::int as n
            from ${shipments} s
           where s.warehouse_id in (${sql.join(request.warehouseIds.map((id) => sql`${id}`), sql`, `)})
             and s.shipped_at > ${from} and s.shipped_at <= ${to} and not s.voided
           group by 1, 2`,
    );
    for (const id of request.warehouseIds) sparks.warehouses.set(id, Array.from({ length: SPARK_HOURS }, () => 0));
    for (const r of rows) if (r.h >= 0 && r.h < SPARK_HOURS) sparks.warehouses.get(r.warehouse_id)![r.h] = Number(r.n);
  }
  return sparks;
}

/** A labelled tile's spark: its own series, else the window's zeros (it was zero whenever the loop looked). */
export function sparkOf(series: LabelledSparks, key: string): Spark {
  return series.byLabel.get(key) ?? series.quiet;
}
