/**
 * The exceptions triage queue at the benchmark's size (seed.ts: 1,000,000 orders) with 10,000 open exceptions:
 * listExceptionQueue (the page and GET /api/dashboard/exceptions both answer with it, after a session check and a
 * zod parse) and its per-kind counts, on the app's database client, 4 connections at once as four people on duty
 * refreshing their queues. Prints p50/p95 per filter the page offers, and the plan of the default view.
 *
 * The 10,000 exceptions (9,000 stuck orders at four stages, a fifth of them assigned; 1,000 orders held on 10
 * unmapped SKUs, i.e. 10 grouped rows) are committed, since four connections must see them, under kinds and a
 * marker of their own, and deleted at the end.
 *
 *   npx tsx e2e/bench/queue.ts [--seconds 20]
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { createDatabase, queryRows, type Db } from "@/db/client";
import type { QueueQuery } from "@/lib/exceptions/filters";
import { listExceptionQueue } from "@/lib/exceptions/queue";
import { benchDatabaseUrl, fixture } from "./seed";

const OPEN = 10_000;
const GROUPED = 1_000;
const MARKER = "bench-queue";
const viewer = { email: "ops-bench@example.test" };

const views: { label: string; query: QueueQuery }[] = [
  { label: "every kind, oldest first (the page as it opens)", query: {} },
  { label: "newest first", query: { sort: "newest" } },
  { label: "one kind (stuck orders)", query: { kind: "stuck_order" } },
  { label: "one stuck stage (not picked)", query: { kind: "stuck_order", stage: "not_picked" } },
  { label: "assigned to me", query: { assigned: "me" } },
  { label: "unassigned, older than 1 day", query: { assigned: "none", older_than: 1440 } },
  { label: "one account and environment", query: { account: fixture.shipmentsAccount, env: fixture.environment } },
  { label: "one warehouse", query: { warehouse: fixture.warehouse } },
  { label: "search by order number (SO-12…)", query: { q: "SO-12" } },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function insertExceptions(db: Db): Promise<void> {
  // The seeded orders 1…10,000 (shipped ones: the queue does not look at the order's status, only its number and
  // warehouse), each with one open exception opened over the last 5 days.
  await db.execute(sql`
    insert into operational_exceptions (id, account_id, environment, order_id, kind, message, data, created_at, assigned_to)
    select 'exc_bench_q_' || g, o.account_id, o.environment, o.id,
           case when g <= ${OPEN - GROUPED} then 'stuck_order' else 'unmapped_sku' end,
           case when g <= ${OPEN - GROUPED} then 'Stuck (benchmark)' else 'SKU not mapped (benchmark)' end,
           case when g <= ${OPEN - GROUPED}
                then jsonb_build_object('stage', (array['not_picked', 'not_shipped', 'no_carrier_scan', 'backordered_too_long'])[1 + g % 4], 'marker', ${MARKER}::text)
                else jsonb_build_object('channel_sku', 'BENCH-UNMAPPED-' || (g % 10), 'marker', ${MARKER}::text) end,
           now() - make_interval(mins => (g * 7) % 7200),
           case when g % 5 = 0 then ${viewer.email} end
      from generate_series(1, ${OPEN}::int) g
      join orders o on o.id = 'ord_' || lpad(g::text, 26, '0')`);
  await db.execute(sql`analyze operational_exceptions`);
}

async function removeExceptions(db: Db): Promise<void> {
  await db.execute(sql`delete from operational_exceptions where id like 'exc_bench_q_%'`);
}

async function measure(query: QueueQuery, seconds: number): Promise<number[]> {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
      try {
        await listExceptionQueue(handle.db, viewer, query); // warm the connection's prepared statements
        while (performance.now() < deadline) {
          const started = performance.now();
          await listExceptionQueue(handle.db, viewer, query);
          times.push(performance.now() - started);
        }
      } finally {
        await handle.close();
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

async function main() {
  const at = process.argv.indexOf("--seconds");
  const seconds = at >= 0 ? Number(process.argv[at + 1]) : 20;
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  const out: string[] = [];
  try {
    await removeExceptions(handle.db);
    await insertExceptions(handle.db);
    const [{ open }] = await queryRows<{ open: number }>(handle.db, sql`select count(*)::int as open from operational_exceptions where status = 'open'`);
    const [{ orders }] = await queryRows<{ orders: number }>(handle.db, sql`select count(*)::int as orders from orders`);
    const sample = await listExceptionQueue(handle.db, viewer, {});
    out.push(
      `${orders.toLocaleString("en")} orders, ${open.toLocaleString("en")} open exceptions (the default view lists ${sample.rows.length} rows of ${sample.total.toLocaleString("en")}). 4 connections, ${seconds} s per view.`,
      "",
      "| view | requests | p50 ms | p95 ms | max ms |",
      "|---|---:|---:|---:|---:|",
    );
    for (const view of views) {
      const times = await measure(view.query, seconds);
      out.push(`| ${view.label} | ${times.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${times[times.length - 1].toFixed(1)} |`);
    }
    const plan = await queryRows<{ "QUERY PLAN": string }>(
      handle.db,
      sql`explain (analyze, buffers) select x.id from operational_exceptions x
           where x.status = 'open' and coalesce(x.snoozed_until, '-infinity'::timestamptz) <= now() and x.group_key is null
           order by x.created_at, x.id limit 100`,
    );
    out.push("", "EXPLAIN (ANALYZE, BUFFERS) of the default view's standalone rows:", "", "```", ...plan.map((r) => r["QUERY PLAN"]), "```");
  } finally {
    await removeExceptions(handle.db);
    await handle.close();
  }
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
  console.log(`Load average (1 / 5 / 15 min) at the end: ${load}.\n`);
  console.log(out.join("\n"));
}

await main();
