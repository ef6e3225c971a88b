/**
 * The support search at the benchmark's size (seed.ts: 1,000,000 orders with their shipments and parcels): each
 * kind of query an agent types, through searchOrders on the app's database client (prepared statements, as the
 * app runs), one at a time, a different value each run. Prints a markdown table of p50/p95 per kind.
 *
 *   npx tsx e2e/bench/search.ts [--runs 200]
 */
import os from "node:os";
import { createDatabase } from "@/db/client";
import { searchOrders, type OrderSearchFilters } from "@/lib/dashboard/search";
import { benchDatabaseUrl, fixture, shipmentId } from "./seed";

type Kind = { kind: string; filters: (n: number) => OrderSearchFilters };

const orderId = (n: number) => `ord_${String(n).padStart(26, "0")}`;
const trackingNumber = (n: number) => `BT${String(n).padStart(9, "0")}1AU`;

/** n runs from 100,001 to 999,999: six digits, so an order number is a prefix of no other seeded one. */
const kinds: Kind[] = [
  { kind: "exact order number (SO-n)", filters: (n) => ({ q: `SO-${n}` }) },
  { kind: "order number prefix, lower case (so-n without its last digit: 11 matches)", filters: (n) => ({ q: `so-${Math.floor(n / 10)}` }) },
  { kind: "short prefix (SO- and n's first two digits: 11,111 matches)", filters: (n) => ({ q: `SO-${String(n).slice(0, 2)}` }) },
  { kind: "shortest prefix (SO- and n's first digit: 111,111 matches)", filters: (n) => ({ q: `SO-${String(n)[0]}` }) },
  { kind: "reference (bench-n)", filters: (n) => ({ q: `bench-${n}` }) },
  { kind: "order id", filters: (n) => ({ q: orderId(n) }) },
  { kind: "shipment id", filters: (n) => ({ q: shipmentId(n) }) },
  { kind: "tracking number", filters: (n) => ({ q: trackingNumber(n) }) },
  { kind: "exact order number, account + environment filters", filters: (n) => ({ q: `SO-${n}`, accountId: fixture.shipmentsAccount, environment: "live" }) },
  { kind: "miss (both phases)", filters: (n) => ({ q: `NOPE-${n}` }) },
  { kind: "contains (O-n: prefix phase, then contains, 1 match)", filters: (n) => ({ q: `O-${n}` }) },
  { kind: "contains, 3 digits (prefix phase, then contains, ~3,000 matches)", filters: (n) => ({ q: String(n).slice(0, 3) }) },
  { kind: "recent (no query)", filters: () => ({}) },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const at = process.argv.indexOf("--runs");
  const runs = at >= 0 ? Number(process.argv[at + 1]) : 200;
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  const random = () => 100_001 + Math.floor(Math.random() * 899_999);
  const lines = ["| search kind | matched by | rows | p50 ms | p95 ms | max ms |", "|---|---|---:|---:|---:|---:|"];
  try {
    for (const { kind, filters } of kinds) {
      // Warm-up past PostgreSQL's first five custom plans, so the timed runs see whatever plan it settles on.
      for (let i = 0; i < 20; i++) await searchOrders(handle.db, filters(random()));
      const times: number[] = [];
      let last = await searchOrders(handle.db, filters(random()));
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        last = await searchOrders(handle.db, filters(random()));
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const ms = (x: number) => x.toFixed(1);
      lines.push(`| ${kind} | ${last.matchedBy} | ${last.rows.length} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(times[times.length - 1])} |`);
      console.error(lines[lines.length - 1]);
    }
  } finally {
    await handle.close();
  }
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
  console.log(`${runs} runs per kind after 20 warm-up runs, one at a time on one connection; load average (1 / 5 / 15 min) at the end: ${load}.\n`);
  console.log(lines.join("\n"));
}

await main();
