/**
 * `npm run bench`: the API under load on this machine, each figure beside its ceiling measured in the same run
 * (see PERF-NOTES). Writes e2e/bench/RESULTS.md. Builds the benchmark build first (next.config.ts: BENCH_BUILD, the
 * production app plus the bare routes of app/bench, in .next-bench), then serves it. Needs PostgreSQL on 127.0.0.1 and
 * pgbench. All traffic stays on 127.0.0.1; every load step is bounded in time.
 *
 *   npm run bench [-- --seconds 10] [-- --rounds 3] [-- --only orders|shipments] [-- --profile]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "@/db/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { databaseName } from "../support/database";
import { AppServer } from "../support/server";
import { CpuCap } from "./cpu-cap";
import { connectionArgs, CpuMeter, httpLoad, httpLoadSplit, pgbench, type Figure, type HttpLoad } from "./load";
import { summarizeProfile } from "./profile";
import { benchDatabaseUrl, fixture, seedBench, shipmentId, skuCode } from "./seed";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    output: { type: "string", default: "e2e/bench/RESULTS.md" },
  },
});
const SECONDS = Number(opts.seconds);
const ROUNDS = Math.max(1, Number(opts.rounds));
const WARMUP = 3;
const PORTS = [3300, 3301];
/** Each app process's share of a core in the capped scale-out step: low enough that two leave PostgreSQL room. */
const CAP_PERCENT = 35;
const here = path.dirname(new URL(import.meta.url).pathname);
const log = (s: string) => console.log(s);

/** Given to `next build` and to `next start` alike: both read next.config.ts, which picks the benchmark build by it. */
const BENCH_BUILD = { BENCH_BUILD: "true" };

/** Always built afresh: a benchmark of an older build would measure code that is no longer there. */
function buildForBenchmark(): void {
  log("building the benchmark build (BENCH_BUILD=true next build)…");
  execFileSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, ...BENCH_BUILD } });
}

async function issueKeys(): Promise<{ orders: string; shipments: string }> {
  const handle = createDatabase({ url: benchDatabaseUrl, poolMax: 1 });
  try {
    const orders = await createApiKey(handle.db, { accountId: fixture.ordersAccount, environment: fixture.environment });
    const shipments = await createApiKey(handle.db, { accountId: fixture.shipmentsAccount, environment: fixture.environment });
    return { orders: orders.key, shipments: shipments.key };
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------- requests

const runTag = Date.now().toString(36);
let sequence = 0;

/** A valid order of two lines on two different SKUs (first from the lower half, so lines lock in one order). */
function orderRequest(): { body: string; headers: Record<string, string> } {
  sequence += 1;
  const a = 1 + Math.floor(Math.random() * 50);
  const b = 51 + Math.floor(Math.random() * 50);
  const reference = `bench-${runTag}-${process.pid}-${sequence}`;
  const body = {
    order_number: `SO-${runTag}-${sequence}`,
    reference,
    warehouse_id: fixture.warehouse,
    shipping_method_id: fixture.shippingMethod,
    ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    items: [
      { sku: skuCode(a), quantity: 1, unit_price: "19.99", currency: "AUD" },
      { sku: skuCode(b), quantity: 1, unit_price: "9.50", currency: "AUD" },
    ],
  };
  return { body: JSON.stringify(body), headers: { "idempotency-key": reference } };
}

const shipmentsSeeded = 1_000_000;
const shipmentTs = (k: number) => new Date(Date.parse(fixture.shipmentsStart) + k).toISOString();

/** Random positions in the million shipments, as a polling client would resume from. */
function positions(count: number): number[] {
  return Array.from({ length: count }, () => 1 + Math.floor(Math.random() * (shipmentsSeeded - 1000)));
}

/**
 * For the API: the cursor after shipment k, asked of the API itself (a one-row page from updated_since), so the
 * benchmark does not depend on the cursor's format.
 */
async function apiCursors(server: AppServer, key: string, ks: number[]): Promise<string[]> {
  const paths: string[] = [];
  for (const k of ks) {
    const since = shipmentTs(k);
    const response = await fetch(`${server.url}/v1/shipments?limit=1&updated_since=${encodeURIComponent(since)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (response.status !== 200) throw new Error(`GET /v1/shipments answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { data: { id: string }[]; pagination: { next_cursor: string | null } };
    if (page.data[0]?.id !== shipmentId(k)) throw new Error(`expected ${shipmentId(k)} first after ${since}, got ${page.data[0]?.id}`);
    paths.push(`/v1/shipments?limit=100&updated_since=${encodeURIComponent(since)}&cursor=${encodeURIComponent(page.pagination.next_cursor ?? "")}`);
  }
  return paths;
}

function rotating(paths: string[]): () => { path: string } {
  let i = 0;
  return () => ({ path: paths[i++ % paths.length] });
}

/**
 * Every order step starts from the same state of the rows all orders update: this machine's PostgreSQL runs with
 * autovacuum off, so without it each step would pay for the dead row versions the steps before it left (the SKU
 * clock rows reach 100,000 dead versions in one run).
 */
function freshenHotRows(): void {
  psqlOnBench("vacuum analyze skus, inventory_levels, rate_limit_counters, api_keys");
}

/** Runs statements on the benchmark database with psql, one -c each. */
function psqlOnBench(...statements: string[]): void {
  execFileSync("psql", [...connectionArgs(benchDatabaseUrl), "-q", databaseName(benchDatabaseUrl), ...statements.flatMap((s) => ["-c", s])]);
}

/**
 * Reads the shipment pages' tables and indexes into the operating system's page cache before a step. This machine
 * reclaims idle page cache on its own (a kernel reclaim daemon runs even with 20 GB free), so without it a step
 * measures disk reads of whatever was reclaimed since the last one: pgbench alone ran the page queries at 150/s
 * cold and 670/s warm. A database server sized for its data keeps them cached; that is the case measured.
 * Returns false when pg_prewarm is not available (the figures are then cold and say so).
 */
function prewarmShipmentPages(): boolean {
  try {
    psqlOnBench(
      "create extension if not exists pg_prewarm",
      "select sum(pg_prewarm(c.oid::regclass, 'read')) from pg_class c where c.relkind in ('r', 'i') and c.relname ~ '^shipments'",
    );
    return true;
  } catch {
    return false;
  }
}

async function available(url: string, init: RequestInit): Promise<number> {
  try {
    return (await fetch(url, init)).status;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------- report

type Section = { title: string; rows: Figure[]; notes: string[] };

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits);
}

function table(rows: Figure[]): string {
  const head =
    "| what | tool | conns | rate /s | p50 ms | p99 ms | errors | server CPU % | server CPU ms / req | machine busy % | note |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|";
  const lines = rows.map(
    (r) =>
      `| ${r.label} | ${r.tool} | ${r.connections} | ${fmt(r.rate)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.errors} | ${fmt(r.serverCpu)} | ${fmt(cpuPerRequest(r), 2)} | ${fmt(r.machineBusy)} | ${r.note ?? ""} |`,
  );
  return [head, ...lines].join("\n");
}

/** CPU the server spent per answered request: unlike the rate, it holds up when other work shares the cores. */
function cpuPerRequest(r: Figure | undefined): number | undefined {
  return r?.serverCpu !== undefined && r.rate ? (r.serverCpu * 10) / r.rate : undefined;
}

function ratio(app: Figure | undefined, bare: Figure | undefined): string {
  if (!app || !bare || !bare.rate) return "–";
  return (app.rate / bare.rate).toFixed(2);
}

function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

type Pair = { bare: Figure; app?: Figure };

/**
 * The bare route and the app measured in alternating rounds (bare, app · app, bare · bare, app …), so that the
 * machine's drift during a run (page cache, I/O stalls, other guests of the host) falls on both alike. Each round
 * gives its own ratio; the median of them is the figure, and the spread shows how far a single run can be trusted.
 */
async function pairedRounds(bare: (round: number) => Promise<Figure>, app: ((round: number) => Promise<Figure>) | undefined): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (!app) {
      pairs.push({ bare: await bare(round) });
    } else if (round % 2) {
      const b = await bare(round);
      pairs.push({ bare: b, app: await app(round) });
    } else {
      const a = await app(round);
      pairs.push({ app: a, bare: await bare(round) });
    }
  }
  return pairs;
}

/** "0.84 (rounds 0.79 · 0.84 · 0.91)": the median of the rounds' values, then each of them. */
function summary(values: (number | undefined)[], digits = 2): string {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const m = median(known);
  if (m === undefined) return "–";
  return known.length > 1 ? `${m.toFixed(digits)} (rounds ${known.map((v) => v.toFixed(digits)).join(" · ")})` : m.toFixed(digits);
}

const rateRatios = (pairs: Pair[]) => pairs.map((p) => (p.app && p.bare.rate ? p.app.rate / p.bare.rate : undefined));
const cpuRatios = (pairs: Pair[]) =>
  pairs.map((p) => {
    const a = cpuPerRequest(p.app);
    const b = cpuPerRequest(p.bare);
    return a && b ? b / a : undefined;
  });

function machine(): string {
  const pg = execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-Atc", "show server_version"], { encoding: "utf8" }).trim();
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${pg}`;
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(" / ");
  buildForBenchmark();
  await seedBench({ log });
  const keys = await issueKeys();
  const serverEnv = { ...BENCH_BUILD, WORKER: "off", API_RATE_LIMIT_PER_MINUTE: "1000000000" };
  const profileDir = mkdtempSync(path.join(os.tmpdir(), "hub-bench-profile-"));
  const nodeArgs = opts.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];

  const a = new AppServer(PORTS[0], { databaseUrl: benchDatabaseUrl, env: serverEnv, nodeArgs });
  const sections: Section[] = [];
  const profiles: string[] = [];
  try {
    await a.start();
    const json = { "content-type": "application/json" };
    const meterA = () => new CpuMeter([a.pid!]);

    // ------------------------------------------------------------------ (a) order creation
    if (!opts.only || opts.only === "orders") {
      const section: Section = { title: "Order creation (POST /v1/orders), 32 connections", rows: [], notes: [] };
      const orderLoad = (base: string, pathname: string, key: string | undefined, connections: number): HttpLoad => ({
        url: `${base}${pathname}`,
        method: "POST",
        connections,
        seconds: SECONDS,
        headers: { ...json, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        next: orderRequest,
      });
      const probe = orderRequest();
      const appStatus = await available(`${a.url}/v1/orders`, {
        method: "POST",
        headers: { ...json, ...probe.headers, authorization: `Bearer ${keys.orders}` },
        body: probe.body,
      });
      log(`\n(a) orders — POST /v1/orders probe: ${appStatus}`);
      await httpLoad("warm-up", { url: `${a.url}/bench/ping`, connections: 8, seconds: WARMUP });
      section.rows.push(await httpLoad("bare route, JSON only (GET /bench/ping)", { url: `${a.url}/bench/ping`, connections: 32, seconds: SECONDS }, meterA()));
      log(table(section.rows.slice(-1)));
      const orderStep = (label: string, pathname: string, key: string | undefined) => async (round: number) => {
        freshenHotRows();
        await httpLoad("warm-up", { ...orderLoad(a.url, pathname, key, 8), seconds: WARMUP });
        const figure = await httpLoad(`${label}, round ${round}`, orderLoad(a.url, pathname, key, 32), meterA());
        log(table([figure]));
        return figure;
      };
      const pairs = await pairedRounds(
        orderStep("bare route + order transaction (POST /bench/orders)", "/bench/orders", undefined),
        appStatus === 201 ? orderStep("app (POST /v1/orders)", "/v1/orders", keys.orders) : undefined,
      );
      if (appStatus !== 201) section.notes.push(`POST /v1/orders answered ${appStatus} to a valid order: the app figure is missing.`);
      for (const pair of pairs) section.rows.push(...[pair.bare, pair.app].filter((f): f is Figure => Boolean(f)));
      const bare = pairs[pairs.length - 1].bare;
      const app = pairs[pairs.length - 1].app;
      let twoProcesses: Figure | undefined;
      let cappedOne: Figure | undefined;
      let cappedTwo: Figure | undefined;
      freshenHotRows();
      const pgb = await pgbench("pgbench, the same transaction", {
        databaseUrl: benchDatabaseUrl,
        script: path.join(here, "pgbench/order-create.sql"),
        clients: 32,
        seconds: SECONDS,
        defines: { acct: fixture.ordersAccount, wh: fixture.warehouse, sm: fixture.shippingMethod },
      });
      section.rows.push(pgb);
      log(table([pgb]));

      if (appStatus === 201) {
        const b = new AppServer(PORTS[1], { databaseUrl: benchDatabaseUrl, env: serverEnv });
        await b.start();
        try {
          freshenHotRows();
          await httpLoad("warm-up", { ...orderLoad(b.url, "/v1/orders", keys.orders, 8), seconds: WARMUP });
          twoProcesses = await httpLoadSplit(
            "app, two processes (16 + 16 connections)",
            [orderLoad(a.url, "/v1/orders", keys.orders, 16), orderLoad(b.url, "/v1/orders", keys.orders, 16)],
            new CpuMeter([a.pid!, b.pid!]),
          );
          section.rows.push(twoProcesses);
          log(table([twoProcesses]));
          [cappedOne, cappedTwo] = await cappedScaleOut();
        } finally {
          await b.stop();
        }

        /** One, then two app processes, each capped at CAP_PERCENT of a core (see cpu-cap.ts for why). */
        async function cappedScaleOut(): Promise<[Figure | undefined, Figure | undefined]> {
          const capA = CpuCap.create("a", CAP_PERCENT);
          const capB = CpuCap.create("b", CAP_PERCENT);
          if (!capA || !capB) {
            section.notes.push("This machine has no cpu cgroup controller the benchmark may use: the capped scale-out step was skipped.");
            return [undefined, undefined];
          }
          try {
            capA.add(a.pid!);
            freshenHotRows();
            const one = await httpLoad(`app, one process capped at ${CAP_PERCENT} % of a core`, orderLoad(a.url, "/v1/orders", keys.orders, 32), meterA());
            section.rows.push(one);
            log(table([one]));
            capB.add(b.pid!);
            freshenHotRows();
            const two = await httpLoadSplit(
              `app, two processes capped at ${CAP_PERCENT} % each (16 + 16 connections)`,
              [orderLoad(a.url, "/v1/orders", keys.orders, 16), orderLoad(b.url, "/v1/orders", keys.orders, 16)],
              new CpuMeter([a.pid!, b.pid!]),
            );
            section.rows.push(two);
            log(table([two]));
            return [one, two];
          } finally {
            capA.remove();
            capB.remove();
          }
        }
      }
      section.notes.push(
        `Ratio app / bare route (same SQL transaction, same process kind), median of ${pairs.length} rounds: **${summary(rateRatios(pairs))}** (goal ≥ 0.8); by server CPU per request: ${summary(cpuRatios(pairs))}.`,
        `Ratio app / pgbench: ${ratio(app, pgb)}; bare route / pgbench: ${ratio(bare, pgb)} (last round).`,
        `Two app processes / one (the last round's app): ${ratio(twoProcesses, app)}; the machine has no core left for the second.`,
        `Scale-out with each process capped at ${CAP_PERCENT} % of a core, so that the machine has room for a second: two processes / one = **${ratio(cappedTwo, cappedOne)}** (2.00 = linear).`,
      );
      sections.push(section);
    }

    // ------------------------------------------------------------------ (b) shipment pages
    if (!opts.only || opts.only === "shipments") {
      const section: Section = { title: "Shipment pages (GET /v1/shipments, limit 100) over 1,000,000 shipments", rows: [], notes: [] };
      const ks = positions(64);
      const barePaths = ks.map((k) => `/bench/shipments?limit=100&ts=${encodeURIComponent(shipmentTs(k))}&id=${shipmentId(k)}`);
      let appPaths: string[] | undefined;
      try {
        appPaths = await apiCursors(a, keys.shipments, ks);
      } catch (error) {
        section.notes.push(`GET /v1/shipments could not be measured: ${(error as Error).message}`);
      }
      log(`\n(b) shipments — ${appPaths ? "API cursors ready" : "API unavailable"}`);
      const byConnections = new Map<number, Pair[]>();
      let warm = false;
      for (const connections of [4, 32]) {
        const load = (paths: string[], key?: string): HttpLoad => ({
          url: a.url,
          connections,
          seconds: SECONDS,
          headers: key ? { authorization: `Bearer ${key}` } : {},
          next: rotating(paths),
        });
        const pageStep = (label: string, paths: string[], key?: string) => async (round: number) => {
          warm = prewarmShipmentPages();
          await httpLoad("warm-up", { ...load(paths, key), seconds: WARMUP });
          const figure = await httpLoad(`${label}, round ${round}`, load(paths, key), meterA());
          log(table([figure]));
          return figure;
        };
        const pairs = await pairedRounds(
          pageStep("bare route (GET /bench/shipments)", barePaths),
          appPaths ? pageStep("app (GET /v1/shipments)", appPaths, keys.shipments) : undefined,
        );
        byConnections.set(connections, pairs);
        for (const pair of pairs) section.rows.push(...[pair.bare, pair.app].filter((f): f is Figure => Boolean(f)));
        warm = prewarmShipmentPages();
        const pgb = await pgbench(`pgbench, the same keyset query`, {
          databaseUrl: benchDatabaseUrl,
          script: path.join(here, "pgbench/shipments-page.sql"),
          clients: connections,
          seconds: SECONDS,
          defines: { acct: fixture.shipmentsAccount, start: fixture.shipmentsStart, maxk: String(shipmentsSeeded - 1000) },
        });
        section.rows.push(pgb);
        log(table([pgb]));
      }
      section.notes.push(
        warm
          ? "Each step starts with the pages' tables and indexes in the operating system's page cache (pg_prewarm), as on a database server sized for its data."
          : "pg_prewarm was not available: each step read whatever the machine had reclaimed from its page cache since the last one from disk.",
      );
      const at4 = byConnections.get(4) ?? [];
      const at32 = byConnections.get(32) ?? [];
      const appP99 = median(at4.flatMap((p) => (p.app ? [p.app.p99] : [])));
      section.notes.push(
        `Ratio app / bare route, median of ${at4.length} rounds: **${summary(rateRatios(at4))}** at 4 connections, **${summary(rateRatios(at32))}** at 32 (goal ≥ 0.8); by server CPU per request: ${summary(cpuRatios(at4))} and ${summary(cpuRatios(at32))}.`,
        `App p99 at 4 connections, median of the rounds: **${summary(at4.map((p) => p.app?.p99), 1)} ms** (goal < 20 ms)${appP99 !== undefined ? (appP99 < 20 ? " — met" : " — missed") : ""}; the bare route's: ${summary(at4.map((p) => p.bare.p99), 1)} ms.`,
      );
      sections.push(section);
    }
  } finally {
    await a.stop();
    if (!a.log.includes("Ready")) log(a.log);
  }

  if (opts.profile) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) profiles.push(summarizeProfile(path.join(profileDir, file), 25));
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  const report = [
    "# Benchmark results",
    "",
    `Run ${new Date().toISOString()} by \`npm run bench\` (e2e/bench/run.ts) in ${seconds}s: ${SECONDS}s per figure after a ${WARMUP}s warm-up,`,
    `bare route and app in ${ROUNDS} alternating rounds (ratios are the median of the rounds' ratios),`,
    `everything on 127.0.0.1. Machine: ${machine()}. One \`next start\` process (WORKER=off, default pool of 10`,
    "connections) serves both the API and the bare routes of the same benchmark build (app/bench, BENCH_BUILD=true); load from autocannon",
    "in the benchmark's own process, and pgbench (-M prepared, 2 threads) for the database alone. Rates count 2xx answers only.",
    "Server CPU is the `next start` process in % of one core; machine busy is both cores together (100 = both saturated).",
    `Load average before the run (1 / 5 / 15 min): ${loadBefore}; after: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}. Anything much above`,
    "1 means other work shared the cores: absolute rates then drop, ratios measured in the same run and CPU per request hold better.",
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", table(s.rows), "", ...s.notes.map((n) => `- ${n}`), ""]),
    ...(profiles.length ? ["## CPU profile of the app process (self time, top functions)", "", ...profiles, ""] : []),
  ].join("\n");
  // A hand-written "## Analysis" section of the previous report is kept below the new figures, marked as such.
  const previous = existsSync(opts.output!) ? readFileSync(opts.output!, "utf8") : "";
  const analysis = previous.indexOf("\n## Analysis");
  writeFileSync(opts.output!, analysis >= 0 ? `${report}\n${previous.slice(analysis + 1)}` : report);
  log(`\nwrote ${opts.output} (${seconds}s)`);
}

await main();
process.exit(0);
