/**
 * One stuck-order detector pass at the benchmark's size (seed.ts: 1,000,000 orders, 1,000,000 shipments of which
 * 750,000 sit in a carrier stage) with 10,000 open stuck-order exceptions (6,000 orders in an order stage, 4,000
 * parcels in a carrier stage): detectStuckOrders on the app's database
 * client, as the worker runs it every minute. Prints p50/p95 of the steady-state pass (every stuck order already
 * has its exception: the minute-by-minute case), the pass that raises all 10,000, and the plan of the query.
 *
 * Nothing is left behind: the 10,000 stuck orders of a benchmark account of their own, their exceptions and the
 * timeline lines are written inside one transaction that is rolled back at the end, so the database other
 * benchmarks measure is unchanged. The pass runs at `now` = the first seeded shipment's time, when none of the
 * seeded shipments is overdue yet: the detector still reads every one of them through its partial index (the cost
 * being measured) without raising 750,000 exceptions the scenario does not have.
 *
 *   npx tsx e2e/bench/stuck.ts [--runs 30]
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { createDatabase, queryRows, type Db } from "@/db/client";
import { detectStuckOrders } from "@/lib/stuck-orders/detect";
import { carrierDueBy, stillInStageSql, stuckSql, withoutJit } from "@/lib/stuck-orders/sql";
import { benchDatabaseUrl, fixture } from "./seed";

const ACCOUNT = "acct_bench_stuck";
const STUCK = 10_000;
/** Orders above this number are shipped, their parcel stuck with the carrier. */
const PARCELS_FROM = 6_000;
const now = new Date(fixture.shipmentsStart);

class Rollback extends Error {}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * 10,000 orders of the stuck account, hours past their stage's threshold at `now`: 6,000 in the four order stages,
 * 4,000 shipped with their parcel four days into a carrier stage without a scan.
 */
async function insertStuckOrders(db: Db): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  await db.execute(sql`insert into accounts (id, name) values (${ACCOUNT}, 'bench-stuck')`);
  await db.execute(sql`
    insert into orders (id, account_id, environment, order_number, reference, status, hold_reason, warehouse_id, order_date, ship_to, created_at, stage_entered_at)
    select 'ord_bench_stuck_' || g, ${ACCOUNT}, ${fixture.environment}, 'STUCK-' || g, 'stuck-' || g,
           case when g > ${PARCELS_FROM} then 'shipped' else (array['received', 'processing', 'backordered', 'on_hold'])[1 + g % 4] end::order_status,
           case when g <= ${PARCELS_FROM} and g % 4 = 3 then 'unmapped_sku' end,
           ${fixture.warehouse}, ${at} - interval '5 days', '{}'::jsonb, ${at} - interval '5 days',
           ${at} - interval '3 days' - make_interval(mins => g % 600)
      from generate_series(1, ${STUCK}::int) g`);
  await db.execute(sql`
    insert into shipments (id, account_id, environment, order_id, warehouse_id, status, shipped_at, status_occurred_at)
    select 'shp_bench_stuck_' || g, ${ACCOUNT}, ${fixture.environment}, 'ord_bench_stuck_' || g, ${fixture.warehouse},
           (array['shipped', 'in_transit', 'out_for_delivery'])[1 + g % 3]::shipment_status,
           ${at} - interval '4 days' - make_interval(mins => g % 600), ${at} - interval '4 days' - make_interval(mins => g % 600)
      from generate_series(${PARCELS_FROM + 1}::int, ${STUCK}::int) g`);
  await db.execute(sql`analyze orders`);
  await db.execute(sql`analyze shipments`);
}

async function main() {
  const at = process.argv.indexOf("--runs");
  const runs = at >= 0 ? Number(process.argv[at + 1]) : 30;
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  const out: string[] = [];
  try {
    await handle.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      await insertStuckOrders(db);
      const [{ carrier }] = await queryRows<{ carrier: number }>(db, sql`select count(*)::int as carrier from shipments where status in ('shipped', 'in_transit', 'out_for_delivery')`);
      const [{ orders }] = await queryRows<{ orders: number }>(db, sql`select count(*)::int as orders from orders`);

      let started = performance.now();
      const first = await detectStuckOrders(db, { now });
      const raiseMs = performance.now() - started;
      const [{ open }] = await queryRows<{ open: number }>(db, sql`select count(*)::int as open from operational_exceptions where kind = 'stuck_order' and status = 'open'`);

      for (let i = 0; i < 3; i++) await detectStuckOrders(db, { now });
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        started = performance.now();
        const pass = await detectStuckOrders(db, { now });
        times.push(performance.now() - started);
        if (pass.raised || pass.resolved) throw new Error(`a steady-state pass changed something: ${JSON.stringify(pass)}`);
      }
      times.sort((a, b) => a - b);
      await withoutJit(db);
      const plan = await queryRows<{ "QUERY PLAN": string }>(db, sql`explain (analyze, buffers) ${stuckSql(now, {}, [], await carrierDueBy(db, now))}`);
      // The pass's other half: which open exceptions' orders left their stage (detect.ts resolves those).
      const resolvePlan = await queryRows<{ "QUERY PLAN": string }>(
        db,
        sql`explain (analyze, buffers) select x.id from operational_exceptions x
             where x.kind = 'stuck_order' and x.status = 'open'
               and not ${stillInStageSql()}`,
      );

      const ms = (x: number) => x.toFixed(0);
      out.push(
        `${orders.toLocaleString("en")} orders (${STUCK.toLocaleString("en")} of them stuck), ${carrier.toLocaleString("en")} shipments in a carrier stage, ${open.toLocaleString("en")} open stuck-order exceptions after the first pass.`,
        "",
        "| detector pass | runs | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        `| first pass: raises ${first.raised.toLocaleString("en")} exceptions with their timeline lines | 1 | ${ms(raiseMs)} | ${ms(raiseMs)} | ${ms(raiseMs)} |`,
        `| steady state: ${open.toLocaleString("en")} already open, nothing to raise or resolve | ${runs} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(times[times.length - 1])} |`,
        "",
        "EXPLAIN (ANALYZE, BUFFERS) of the stuck-order query (steady state):",
        "",
        "```",
        ...plan.map((r) => r["QUERY PLAN"]),
        "```",
        "",
        "EXPLAIN (ANALYZE, BUFFERS) of the check for exceptions whose order left its stage:",
        "",
        "```",
        ...resolvePlan.map((r) => r["QUERY PLAN"]),
        "```",
      );
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await handle.close();
  }
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
  console.log(`Load average (1 / 5 / 15 min) at the end: ${load}.\n`);
  console.log(out.join("\n"));
}

await main();
