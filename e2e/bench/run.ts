/**
 * `npm run bench`: the API under load on this machine, each figure beside its ceiling measured in the same run
 * (see PERF-NOTES). Writes e2e/bench/RESULTS.md. Needs `next build` (run first when missing), PostgreSQL on
 * 127.0.0.1, pgbench. All traffic stays on 127.0.0.1; every load step is bounded in time.
 *
 *   npm run bench [-- --seconds 15] [-- --only orders|shipments] [-- --profile]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "@/db/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { AppServer } from "../support/server";
import { connectionArgs, CpuMeter, databaseName, httpLoad, httpLoadSplit, pgbench, type Figure, type HttpLoad } from "./load";
import { summarizeProfile } from "./profile";
import { benchDatabaseUrl, fixture, seedBench, shipmentId, skuCode } from "./seed";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    output: { type: "string", default: "e2e/bench/RESULTS.md" },
  },
});
const SECONDS = Number(opts.seconds);
const WARMUP = 3;
const PORTS = [3300, 3301];
const here = path.dirname(new URL(import.meta.url).pathname);
const log = (s: string) => console.log(s);

function ensureBuild(): void {
  if (existsSync(".next/BUILD_ID")) return;
  log("no production build: running next build…");
  execFileSync("npx", ["next", "build"], { stdio: "inherit" });
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
  execFileSync("psql", [...connectionArgs(benchDatabaseUrl), "-q", databaseName(benchDatabaseUrl), "-c", "vacuum analyze skus, inventory_levels, rate_limit_counters, api_keys"]);
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

function cpuRatio(app: Figure | undefined, bare: Figure | undefined): string {
  const a = cpuPerRequest(app);
  const b = cpuPerRequest(bare);
  return a && b ? (b / a).toFixed(2) : "–";
}

function ratio(app: Figure | undefined, bare: Figure | undefined): string {
  if (!app || !bare || !bare.rate) return "–";
  return (app.rate / bare.rate).toFixed(2);
}

function machine(): string {
  const pg = execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-Atc", "show server_version"], { encoding: "utf8" }).trim();
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${pg}`;
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(" / ");
  ensureBuild();
  await seedBench({ log });
  const keys = await issueKeys();
  const serverEnv = { BENCH_ROUTES: "1", WORKER: "off", API_RATE_LIMIT_PER_MINUTE: "1000000000" };
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
      freshenHotRows();
      await httpLoad("warm-up", { ...orderLoad(a.url, "/bench/orders", undefined, 8), seconds: WARMUP });
      const bare = await httpLoad("bare route + order transaction (POST /bench/orders)", orderLoad(a.url, "/bench/orders", undefined, 32), meterA());
      section.rows.push(bare);
      log(table([bare]));
      let app: Figure | undefined;
      let twoProcesses: Figure | undefined;
      if (appStatus === 201) {
        freshenHotRows();
        await httpLoad("warm-up", { ...orderLoad(a.url, "/v1/orders", keys.orders, 8), seconds: WARMUP });
        app = await httpLoad("app (POST /v1/orders)", orderLoad(a.url, "/v1/orders", keys.orders, 32), meterA());
        section.rows.push(app);
        log(table([app]));
      } else {
        section.notes.push(`POST /v1/orders answered ${appStatus} to a valid order: the app figure is missing.`);
      }
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
        } finally {
          await b.stop();
        }
      }
      section.notes.push(
        `Ratio app / bare route (same SQL transaction, same process kind): **${ratio(app, bare)}** (goal ≥ 0.8); by server CPU per request: ${cpuRatio(app, bare)}.`,
        `Ratio app / pgbench: ${ratio(app, pgb)}; bare route / pgbench: ${ratio(bare, pgb)}.`,
        `Two app processes / one: ${ratio(twoProcesses, app)}.`,
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
      const results: Record<string, Figure | undefined> = {};
      for (const connections of [4, 32]) {
        const load = (paths: string[], key?: string): HttpLoad => ({
          url: a.url,
          connections,
          seconds: SECONDS,
          headers: key ? { authorization: `Bearer ${key}` } : {},
          next: rotating(paths),
        });
        await httpLoad("warm-up", { ...load(barePaths), seconds: WARMUP });
        results[`bare${connections}`] = await httpLoad(`bare route (GET /bench/shipments)`, load(barePaths), meterA());
        section.rows.push(results[`bare${connections}`]!);
        log(table([results[`bare${connections}`]!]));
        if (appPaths) {
          await httpLoad("warm-up", { ...load(appPaths, keys.shipments), seconds: WARMUP });
          results[`app${connections}`] = await httpLoad(`app (GET /v1/shipments)`, load(appPaths, keys.shipments), meterA());
          section.rows.push(results[`app${connections}`]!);
          log(table([results[`app${connections}`]!]));
        }
        results[`pgb${connections}`] = await pgbench(`pgbench, the same four queries`, {
          databaseUrl: benchDatabaseUrl,
          script: path.join(here, "pgbench/shipments-page.sql"),
          clients: connections,
          seconds: SECONDS,
          defines: { acct: fixture.shipmentsAccount, start: fixture.shipmentsStart, maxk: String(shipmentsSeeded - 1000) },
        });
        section.rows.push(results[`pgb${connections}`]!);
        log(table([results[`pgb${connections}`]!]));
      }
      const p99at4 = results.app4?.p99;
      section.notes.push(
        `Ratio app / bare route: **${ratio(results.app4, results.bare4)}** at 4 connections, **${ratio(results.app32, results.bare32)}** at 32 (goal ≥ 0.8); by server CPU per request: ${cpuRatio(results.app4, results.bare4)} and ${cpuRatio(results.app32, results.bare32)}.`,
        `App p99 at 4 connections: **${fmt(p99at4, 1)} ms** (goal < 20 ms)${p99at4 !== undefined ? (p99at4 < 20 ? " — met" : " — missed") : ""}.`,
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
    `everything on 127.0.0.1. Machine: ${machine()}. One \`next start\` process (WORKER=off, default pool of 10`,
    "connections) serves both the API and the bare routes (app/bench/**, BENCH_ROUTES=1) of the same build; load from autocannon",
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
