/**
 * The home overview at the benchmark's size (seed.ts: 1,000,000 orders and shipments), through the domain functions
 * as the page and its JSON route run them: loadOverview per role, and each of its queries bare. Prints a markdown
 * table of p50/p95.
 *
 * The seed ships every order. The overview needs a working day on top of it, so the run first makes one, inside a
 * transaction it rolls back at the end (the shared benchmark database is left as it was): a 14:00 cut-off at the
 * warehouse; 4,000 orders open (received or picking) that came in over the last day; 3,000 shipments made over the
 * last day; 2,000 open exceptions in six kinds, 800 stuck orders in five stages and 50,000 resolved exceptions; a day
 * of the metrics loop's samples at one a minute (every series the overview and the health page draw).
 * While it runs, its open transaction holds the partner feeds back: do not run it beside the feed benchmarks.
 *
 *   npx tsx e2e/bench/overview.ts [--runs 200]
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { createDatabase, type DbOrTx } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { DashboardRole } from "@/lib/auth/dashboard-users";
import { openExceptionsByKind, stuckOrdersByStage } from "@/lib/overview/attention";
import { loadOverview } from "@/lib/overview/overview";
import { loadSparks } from "@/lib/overview/sparklines";
import { loadSyncHeadlines } from "@/lib/overview/sync";
import { loadWarehouseDays } from "@/lib/overview/warehouses";
import { benchDatabaseUrl, fixture } from "./seed";

class Rollback extends Error {}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A working day on top of the seed: see the header. Set-based, a few seconds. */
async function workingDay(tx: DbOrTx) {
  await tx.execute(sql`update warehouses set cutoff_time = '14:00' where id = ${fixture.warehouse}`);
  // Orders 1..4,000 of the seed reopened: 2,500 waiting to be picked, 1,500 being picked, arrived over the last day.
  await tx.execute(sql`
    update orders o set status = (case when n <= 2500 then 'received' else 'processing' end)::order_status,
                        created_at = now() - make_interval(secs => n * 21.6)
      from (select id, row_number() over (order by id) as n from orders order by id limit 4000) pick
     where o.id = pick.id`);
  // 3,000 shipments made over the last day, more of them lately.
  await tx.execute(sql`
    update shipments s set shipped_at = now() - make_interval(secs => power(n / 3000.0, 2) * 86400)
      from (select id, row_number() over (order by id desc) as n from shipments order by id desc limit 3000) pick
     where s.id = pick.id`);
  await tx.execute(sql`
    insert into operational_exceptions (id, account_id, environment, kind, status, order_id, message, data, created_at, resolved_at)
    select 'exc_bench_' || g, ${fixture.ordersAccount}, 'live', (array['unmapped_sku', 'routing_failure', 'cancellation_declined', 'push_failed', 'warehouse_event_failed', 'amendment_rejected'])[1 + g % 6],
           case when g <= 2000 then 'open' else 'resolved' end::exception_status, null, 'bench', '{}'::jsonb,
           now() - make_interval(mins => g % 4320), case when g > 2000 then now() end
      from generate_series(1, 52000) g`);
  await tx.execute(sql`
    insert into operational_exceptions (id, account_id, environment, kind, status, order_id, message, data, created_at)
    select 'exc_bench_stuck_' || n, o.account_id, o.environment, 'stuck_order', 'open', o.id, 'bench',
           jsonb_build_object('stage', (array['not_picked', 'not_shipped', 'not_released', 'no_carrier_scan', 'channel_not_updated'])[(1 + n % 5)::int],
                              'since', o.created_at),
           now() - make_interval(mins => (n % 600)::int)
      from (select id, account_id, environment, created_at, row_number() over (order by id) as n from orders where status in ('received', 'processing') limit 800) o`);
  // A day of the metrics loop at one pass a minute: the health page's gauges every pass, the overview's every fifth
  // (lib/metrics/gauges.ts), every kind and stage non-zero all day; plus the health page's counters.
  await tx.execute(sql`
    insert into metric_samples (name, value, labels, recorded_at)
    select s.name, (random() * 20)::int, s.labels, now() - make_interval(mins => m)
      from generate_series(0, 1439) m
     cross join (values ('dead_letter_depth', '{"queue":"shopify_fulfillments"}'::jsonb), ('dead_letter_depth', '{"queue":"shopify_inventory"}'),
                        ('dead_letter_depth', '{"queue":"shopify_orders"}'), ('dead_letter_depth', '{"queue":"partner_webhooks"}'),
                        ('inventory_pending_age_seconds', '{}'), ('feed_hold_back_seconds', '{}')) as s(name, labels)`);
  await tx.execute(sql`
    insert into metric_samples (name, value, labels, recorded_at)
    select s.name, (random() * 20)::int, s.labels, now() - make_interval(mins => m)
      from generate_series(0, 1439, 5) m
     cross join (values ('shopify_push_lag_seconds', '{}'::jsonb),
                        ('webhook_backlog', '{}'), ('webhook_failing_endpoints', '{}'), ('failed_warehouse_events', '{}'),
                        ('open_exceptions', '{"kind":"all"}'), ('open_exceptions', '{"kind":"unmapped_sku"}'), ('open_exceptions', '{"kind":"routing_failure"}'),
                        ('open_exceptions', '{"kind":"cancellation_declined"}'), ('open_exceptions', '{"kind":"push_failed"}'),
                        ('open_exceptions', '{"kind":"warehouse_event_failed"}'), ('open_exceptions', '{"kind":"amendment_rejected"}'),
                        ('open_exceptions', '{"kind":"stuck_order"}'), ('stuck_orders', '{"stage":"all"}'), ('stuck_orders', '{"stage":"not_picked"}'),
                        ('stuck_orders', '{"stage":"not_shipped"}'), ('stuck_orders', '{"stage":"not_released"}'),
                        ('stuck_orders', '{"stage":"no_carrier_scan"}'), ('stuck_orders', '{"stage":"channel_not_updated"}')) as s(name, labels)`);
  await tx.execute(sql`
    insert into metric_samples (name, value, labels, recorded_at)
    select 'order_submission_lag_seconds', random() * 120, '{"shop":"bench.myshopify.com"}', now() - make_interval(secs => g * 2.88)
      from generate_series(1, 30000) g`);
  await tx.execute(sql`analyze orders`);
  await tx.execute(sql`analyze shipments`);
  await tx.execute(sql`analyze operational_exceptions`);
  await tx.execute(sql`analyze metric_samples`);
}

async function main() {
  const at = process.argv.indexOf("--runs");
  const runs = at >= 0 ? Number(process.argv[at + 1]) : 200;
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  // The overview's indexes come with the app's migrations (a seed made before them has not got them yet).
  await migrateDatabase(handle);
  const lines = ["| what | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|"];
  const notes: string[] = [];
  try {
    await handle.db.transaction(async (tx) => {
      const started = performance.now();
      await workingDay(tx);
      notes.push(`working day made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const roles: DashboardRole[] = ["support", "warehouse", "ops"];
      const measure = async (what: string, run: () => Promise<unknown>) => {
        for (let i = 0; i < 20; i++) await run();
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await run();
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        const ms = (x: number) => x.toFixed(1);
        lines.push(`| ${what} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(times[times.length - 1])} |`);
        console.error(lines[lines.length - 1]);
      };
      for (const role of roles) await measure(`loadOverview as ${role} (the page and GET /api/dashboard/overview)`, () => loadOverview(tx, role));
      const now = () => new Date();
      await measure("warehouse days (due by cut-off, shipped today, last hour)", () => loadWarehouseDays(tx, now()));
      await measure("open exceptions by kind", () => openExceptionsByKind(tx, now()));
      await measure("stuck orders by stage", () => stuckOrdersByStage(tx, now()));
      await measure("sync headlines", () => loadSyncHeadlines(tx, now()));
      await measure("sparklines, every series (24 h of samples + shipments per hour)", () =>
        loadSparks(tx, now(), { exceptionKinds: true, stuckStages: true, sync: true, warehouseIds: [fixture.warehouse] }),
      );
      const [day] = await loadWarehouseDays(tx, now());
      notes.push(`the warehouse's figures: ${day.dueOpen} open due, ${day.shippedToday} shipped today, ${day.lastHour} in the last hour, ${day.willMiss ?? "no"} projected to miss`);
      const plan = await tx.execute(sql`explain (analyze, costs off) select count(*) from orders o where o.warehouse_id = ${fixture.warehouse} and o.status in ('received', 'processing') and o.created_at < now()`);
      notes.push(`plan of "due today": ${(plan as unknown as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"].trim()).filter((l) => /Scan|Execution/.test(l)).join(" / ")}`);
      throw new Rollback();
    });
    // The rolled-back day leaves dead rows behind: clear them, so the next run (and the other benchmarks) read the
    // tables as the seed left them.
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    await handle.db.execute(sql`vacuum metric_samples, operational_exceptions, orders, shipments`);
  } finally {
    await handle.close();
  }
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
  console.log(`${runs} runs per line after 20 warm-up runs, one at a time on one connection; load average (1 / 5 / 15 min) at the end: ${load}.\n`);
  console.log(lines.join("\n"));
  console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
}

await main();
