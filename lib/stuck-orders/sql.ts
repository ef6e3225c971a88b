import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { orders, returns, shipments, shopifyFulfillmentPushes, stuckThresholds, warehouses } from "@/db/schema";
import { THRESHOLDS, THRESHOLD_KEYS, type ThresholdKey } from "./stages";

/**
 * The stuck-order queries, shared by the detector and the threshold form's preview. Everything is one set-based
 * statement over the rows still in an open stage (each read through a partial index), never a loop over orders.
 */

/** Limits a pass to one account: tests share one database and must not flag each other's orders. */
export type DetectionScope = { accountId?: string };

/** A threshold as the form proposes it: minutes null clears the override (back to the next level up). */
export type ThresholdSetting = { key: ThresholdKey; accountId?: string | null; warehouseId?: string | null; minutes: number | null };

function scoped(column: SQL, scope: DetectionScope): SQL {
  return scope.accountId ? sql` and ${column} = ${scope.accountId}` : sql``;
}

/**
 * Every (order, stage) the order is in now, with the threshold key and since when: order statuses from the order
 * (stage_entered_at, stamped by the database when the status changes), carrier stages from its shipments (the
 * last carrier status applied), the channel push from the push queue, returns from their receipt.
 */
export function inStageSql(scope: DetectionScope, options: { carrierDueBy?: SQL } = {}): SQL {
  // A parcel whose stage began after this cannot be overdue yet: the carrier branch reads only older ones, through
  // shipments_status_since_idx, instead of every shipment still on its way.
  const carrierDue = options.carrierDueBy ? sql` and coalesce(s.status_occurred_at, s.shipped_at) <= ${options.carrierDueBy}` : sql``;
  return sql`
    select o.id as order_id, o.account_id, o.environment, o.warehouse_id,
           case o.status when 'on_hold' then 'not_released' when 'received' then 'not_picked'
                         when 'processing' then 'not_shipped' else 'backordered_too_long' end as key,
           o.stage_entered_at as since
      from ${orders} o
     where o.status in ('on_hold', 'received', 'processing', 'backordered')${scoped(sql`o.account_id`, scope)}
    union all
    select s.order_id, s.account_id, s.environment, s.warehouse_id,
           case s.status when 'shipped' then 'no_carrier_scan' when 'in_transit' then 'stalled_in_transit'
                         else 'stalled_out_for_delivery' end,
           coalesce(s.status_occurred_at, s.shipped_at)
      from ${shipments} s
     where s.status in ('shipped', 'in_transit', 'out_for_delivery')${carrierDue}${scoped(sql`s.account_id`, scope)}
    union all
    -- Owed to the channel: since the shipment was made when Shopify never heard of it, else since its last change.
    select p.order_id, p.account_id, p.environment, s.warehouse_id, 'channel_not_updated',
           case when p.shopify_fulfillment_id is null then s.created_at else s.updated_at end
      from ${shopifyFulfillmentPushes} p join ${shipments} s on s.id = p.shipment_id
     where p.state = 'pending'${scoped(sql`p.account_id`, scope)}
    union all
    select r.order_id, r.account_id, r.environment, r.warehouse_id, 'return_not_restocked', r.received_at
      from ${returns} r
     where r.status = 'received' and r.received_at is not null${scoped(sql`r.account_id`, scope)}`;
}

/**
 * Whether the order of an open stuck_order exception (alias x) is still in the exception's stage: the inverse of
 * inStageSql, asked per exception (one lookup by order id in the one table its stage lives in), so a pass costs
 * what the open exceptions cost rather than a read of every row in an open stage.
 */
export function stillInStageSql(): SQL {
  const order = (status: string) => sql`exists (select 1 from ${orders} o where o.id = x.order_id and o.status = ${status})`;
  return sql`(case x.data->>'stage'
      when 'not_released' then ${order("on_hold")}
      when 'not_picked' then ${order("received")}
      when 'not_shipped' then ${order("processing")}
      when 'backordered_too_long' then ${order("backordered")}
      when 'no_carrier_scan' then exists (select 1 from ${shipments} s where s.order_id = x.order_id and s.status = 'shipped')
      when 'stalled_in_transit' then exists (select 1 from ${shipments} s where s.order_id = x.order_id and s.status in ('in_transit', 'out_for_delivery'))
      when 'channel_not_updated' then exists (select 1 from ${shopifyFulfillmentPushes} p where p.order_id = x.order_id and p.state = 'pending')
      when 'return_not_restocked' then exists (select 1 from ${returns} r where r.order_id = x.order_id and r.status = 'received' and r.received_at is not null)
      else false end)`;
}

/**
 * Turns PostgreSQL's JIT compiler off for the rest of the transaction. The stuck-order query's estimated cost (a
 * threshold lookup per candidate row) crosses the JIT thresholds, and compiling its expressions took 7.5 s of a
 * 7.7 s pass at 1,000,000 orders where running them takes 0.2 s (e2e/bench/RESULTS-dashboard.md). PGlite has no
 * JIT; the setting is accepted and changes nothing there.
 */
export async function withoutJit(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`set local jit = off`);
}

/** The stage of a threshold key, as SQL over the key column. */
export function stageOfKeySql(key: SQL): SQL {
  return sql`(case ${key} when 'stalled_out_for_delivery' then 'stalled_in_transit' else ${key} end)`;
}

/** "45 min", "4 h", "5 h 12 min", "3 d", "3 d 4 h": the durations of the timeline lines. */
export function durationTextSql(minutes: SQL): SQL {
  return sql`(case when ${minutes} < 60 then ${minutes} || ' min'
                   when ${minutes} < 2880 then (${minutes} / 60) || ' h' || case when ${minutes} % 60 > 0 then ' ' || (${minutes} % 60) || ' min' else '' end
                   else (${minutes} / 1440) || ' d' || case when (${minutes} % 1440) / 60 > 0 then ' ' || ((${minutes} % 1440) / 60) || ' h' else '' end end)`;
}

function definitionsJson(): string {
  return JSON.stringify(
    THRESHOLD_KEYS.map((key) => ({ key, stage: THRESHOLDS[key].stage, words: THRESHOLDS[key].words, next_step: THRESHOLDS[key].nextStep, minutes: THRESHOLDS[key].defaultMinutes })),
  );
}

const CARRIER_KEYS = ["no_carrier_scan", "stalled_in_transit", "stalled_out_for_delivery"] as const satisfies readonly ThresholdKey[];

/**
 * The latest start of a carrier stage that can be overdue at `now`: `now` less the smallest threshold any carrier key
 * has anywhere (default, stored or proposed, whatever the scope), so no overdue parcel is ever left out. Read before
 * the pass and written into it as a constant, so the planner sees how few parcels it selects and reads them through
 * shipments_status_since_idx (a bound it only learns while running would cost a read of every parcel).
 */
export async function carrierDueBy(db: DbOrTx, now: Date, proposed: ThresholdSetting[] = []): Promise<Date> {
  const [stored] = await queryRows<{ minutes: number | null }>(
    db,
    sql`select min(minutes)::int as minutes from ${stuckThresholds} where stage in (${sql.join(CARRIER_KEYS.map((k) => sql`${k}`), sql`, `)})`,
  );
  const candidates = [
    ...CARRIER_KEYS.map((key) => THRESHOLDS[key].defaultMinutes),
    ...proposed.filter((p) => (CARRIER_KEYS as readonly string[]).includes(p.key) && p.minutes !== null).map((p) => p.minutes as number),
    ...(stored?.minutes === null || stored?.minutes === undefined ? [] : [Number(stored.minutes)]),
  ];
  return new Date(now.getTime() - Math.min(...candidates) * 60_000);
}

/**
 * The orders stuck at `now`, one row per (order, stage): the row of that stage that fell due first, with its
 * threshold (the smaller of an account and a warehouse override, else the global override, else the default), the
 * warehouse's cut-off for not_picked (the first cut-off after the order was received), and the timeline line.
 * `proposed` replaces stored overrides of the same key and scope, for the form's preview.
 */
export function stuckSql(now: Date, scope: DetectionScope, proposed: ThresholdSetting[] = [], dueBy?: Date): SQL {
  // A timestamp this code made (toISOString), so safe as a literal: a constant the planner can estimate with.
  const carrierBound = dueBy ? sql.raw(`'${dueBy.toISOString()}'::timestamptz`) : undefined;
  const proposedJson = JSON.stringify(proposed.map((p) => ({ key: p.key, account_id: p.accountId ?? null, warehouse_id: p.warehouseId ?? null, minutes: p.minutes })));
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`
    with definitions as materialized (
      select * from jsonb_to_recordset(${definitionsJson()}::text::jsonb) as d(key text, stage text, words text, next_step text, minutes int)
    ), proposed as materialized (
      select * from jsonb_to_recordset(${proposedJson}::text::jsonb) as p(key text, account_id text, warehouse_id text, minutes int)
    ), rules as materialized (
      select t.stage as key, t.account_id, t.warehouse_id, t.minutes from ${stuckThresholds} t
       where not exists (select 1 from proposed p where p.key = t.stage and p.account_id is not distinct from t.account_id
                                                    and p.warehouse_id is not distinct from t.warehouse_id)
      union all
      select p.key, p.account_id, p.warehouse_id, p.minutes from proposed p where p.minutes is not null
    ), timed as (
      select i.order_id, i.account_id, i.environment, i.key, i.since, d.stage, d.words, d.next_step,
             coalesce((select min(r.minutes) from rules r where r.key = i.key and (r.account_id = i.account_id or r.warehouse_id = i.warehouse_id)),
                      (select r.minutes from rules r where r.key = i.key and r.account_id is null and r.warehouse_id is null),
                      d.minutes) as minutes,
             case when w.cutoff_time is not null then
               (((i.since at time zone w.timezone)::date
                  + case when (i.since at time zone w.timezone)::time < w.cutoff_time then 0 else 1 end) + w.cutoff_time) at time zone w.timezone
             end as cutoff_at,
             w.cutoff_time
        from (${inStageSql(scope, { carrierDueBy: carrierBound })}) i
        join definitions d on d.key = i.key
        left join ${warehouses} w on w.id = i.warehouse_id and i.key = 'not_picked'
    ), due as (
      select *, least(since + make_interval(mins => minutes), cutoff_at) as due_at,
             round(extract(epoch from ${at} - since) / 60)::int as waited
        from timed
    )
    select distinct on (order_id, stage)
           order_id, account_id, environment, stage, since, minutes, cutoff_at, next_step,
           'Stuck: ' || words || case
             when cutoff_at <= ${at} and since + make_interval(mins => minutes) > ${at}
               then ' past its warehouse''s ' || to_char(cutoff_time, 'HH24:MI') || ' cut-off (waiting ' || ${durationTextSql(sql`waited`)} || ', threshold ' || ${durationTextSql(sql`minutes`)} || ')'
             else ' for ' || ${durationTextSql(sql`waited`)} || ' (threshold ' || ${durationTextSql(sql`minutes`)} || ')' end as message
      from due
     where due_at <= ${at}
     order by order_id, stage, due_at`;
}
