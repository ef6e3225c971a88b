/**
 * Webhook latency under load: shipments committed through the API at a steady rate (default 100/s for 60 s),
 * delivered by the worker running inside the app process to a receiver on 127.0.0.1. Reports how long after the
 * change's transaction each delivery arrived (p50/p99), next to what the ship requests themselves took. Needs
 * `next build` (run first when missing) and PostgreSQL on 127.0.0.1. Writes e2e/bench/RESULTS-webhooks.md.
 *
 *   npx tsx e2e/bench/webhooks.ts [--seconds 60] [--rate 100]
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { createDatabase } from "@/db/client";
import { createApiKey, ensureAccount } from "@/lib/auth/api-keys";
import { recreateDatabase } from "../support/database";
import { AppServer } from "../support/server";
import { startReceiver } from "../support/webhook-receiver";
import { CpuMeter } from "./load";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    rate: { type: "string", default: "100" },
    port: { type: "string", default: "3310" },
    output: { type: "string", default: "e2e/bench/RESULTS-webhooks.md" },
  },
});
const SECONDS = Number(opts.seconds);
const RATE = Number(opts.rate);
const WARMUP_SECONDS = 3;
const SKUS = 25;
/** Ship requests in flight at most: past this the generator waits, and the achieved rate says so. */
const MAX_IN_FLIGHT = 64;
const databaseUrl = process.env.BENCH_WEBHOOKS_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/hub_bench_webhooks";
const log = (s: string) => console.log(s);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function api(base: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function must(promise: ReturnType<typeof api>, status: number, what: string) {
  const result = await promise;
  if (result.status !== status) throw new Error(`${what}: HTTP ${result.status} ${JSON.stringify(result.json).slice(0, 300)}`);
  return result.json;
}

/** Runs `task(i)` for i < count with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
}

async function main() {
  if (!existsSync(".next/BUILD_ID")) {
    log("no production build: running next build…");
    execFileSync("npx", ["next", "build"], { stdio: "inherit" });
  }
  const total = Math.round(RATE * (SECONDS + WARMUP_SECONDS));
  await recreateDatabase(databaseUrl);
  const server = new AppServer(Number(opts.port), { databaseUrl, env: { WORKER: "on", WEBHOOK_RETRY_SCHEDULE_SECONDS: "", API_RATE_LIMIT_PER_MINUTE: "10000000" } });
  const receiver = await startReceiver((_req, res) => res.writeHead(204).end());
  log(`starting the app on :${opts.port} (worker in-process)…`);
  await server.start();
  try {
    const handle = createDatabase({ url: databaseUrl, poolMax: 1 });
    const accountId = await ensureAccount(handle.db, `bench-webhooks-${Date.now().toString(36)}`);
    const { key } = await createApiKey(handle.db, { accountId, environment: "sandbox" });
    await handle.close();

    const base = server.url;
    await must(api(base, key, "POST", "/v1/webhooks", { url: receiver.url, events: ["shipment.created"] }), 201, "subscribe");
    const warehouse = ((await must(api(base, key, "GET", "/v1/warehouses"), 200, "warehouses")).data as { id: string }[])[0].id;
    const method = ((await must(api(base, key, "GET", "/v1/shipping-methods"), 200, "methods")).data as { id: string }[])[0].id;
    // Spread over several SKUs: one hot stock row would measure lock queueing, not webhooks.
    for (let s = 0; s < SKUS; s++) {
      await must(api(base, key, "POST", "/v1/sandbox/inventory", { sku: `BENCH-WH-${s}`, warehouse_id: warehouse, on_hand: Math.ceil(total / SKUS) + 10 }), 200, "stock");
    }

    log(`creating ${total} orders to ship…`);
    const orderIds: string[] = new Array(total);
    await pool(total, 8, async (i) => {
      const order = await must(
        api(base, key, "POST", "/v1/orders", {
          order_number: `WH-${i}`,
          reference: `bench-wh-${i}`,
          warehouse_id: warehouse,
          shipping_method_id: method,
          ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
          items: [{ sku: `BENCH-WH-${i % SKUS}`, quantity: 1 }],
        }),
        201,
        "order",
      );
      orderIds[i] = order.id as string;
    });

    log(`shipping ${RATE}/s for ${WARMUP_SECONDS} s warm-up + ${SECONDS} s…`);
    const shipLatency: number[] = [];
    const respondedAt = new Map<string, number>();
    let shipErrors = 0;
    const meter = new CpuMeter(server.pid ? [server.pid] : []);
    const started = Date.now();
    const measureFrom = started + WARMUP_SECONDS * 1000;
    let measuredStartIndex = -1;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      if (measuredStartIndex < 0 && Date.now() >= measureFrom) {
        measuredStartIndex = i;
        meter.start();
      }
      const sentAt = Date.now();
      const measured = measuredStartIndex >= 0;
      const request: Promise<void> = api(base, key, "POST", `/v1/sandbox/orders/${orderIds[i]}/ship`).then(
        (r) => {
          if (r.status !== 201) shipErrors += 1;
          else {
            respondedAt.set(r.json.id as string, Date.now());
            if (measured) shipLatency.push(Date.now() - sentAt);
          }
        },
        () => {
          shipErrors += 1;
        },
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    await Promise.all(inFlight);
    const loadSeconds = (Date.now() - measureFrom) / 1000;
    const cpu = meter.stop();

    const deadline = Date.now() + 30_000;
    while (receiver.requests.length < total - shipErrors && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const events = receiver.requests.map((r) => ({
      id: r.body.event_id as string,
      createdAt: Date.parse(r.body.created_at as string),
      respondedAt: respondedAt.get(r.body.data?.id as string),
      at: r.at,
    }));
    const unique = new Set(events.map((e) => e.id)).size;
    // Only shipments committed after the warm-up count.
    const measuredEvents = events.filter((e) => e.createdAt >= measureFrom);
    const lags = measuredEvents.map((e) => e.at - e.createdAt).sort((a, b) => a - b);
    const afterResponse = measuredEvents.flatMap((e) => (e.respondedAt === undefined ? [] : [e.at - e.respondedAt])).sort((a, b) => a - b);
    const ships = shipLatency.sort((a, b) => a - b);
    const row = (label: string, values: number[]) =>
      `| ${label} | ${values.length} | ${percentile(values, 50)} ms | ${percentile(values, 90)} ms | ${percentile(values, 99)} ms | ${values.at(-1) ?? NaN} ms |`;
    const report = [
      "## Webhook delivery latency",
      "",
      `Run ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}): one \`next start\` with the worker in-process, PostgreSQL on 127.0.0.1, ` +
        `shipments created through \`POST /v1/sandbox/orders/{id}/ship\` at ${RATE}/s for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, ` +
        `one subscribed endpoint on 127.0.0.1 answering 204. Commit → delivery lies between the two lag rows: receipt at the endpoint − the event's \`created_at\` (start of the transaction that committed the shipment, so it includes the transaction), and receipt − the moment the ship response reached the client (after the commit).`,
      "",
      "| figure | n | p50 | p90 | p99 | max |",
      "|---|---|---|---|---|---|",
      row("transaction start → delivery (upper bound)", lags),
      row("ship response → delivery (lower bound; < 0: delivered before the response)", afterResponse),
      row("ship request (API latency, for scale)", ships),
      "",
      `Deliveries received: ${receiver.requests.length} for ${total - shipErrors} shipments (${unique} distinct event ids${unique < receiver.requests.length ? `, ${receiver.requests.length - unique} duplicates` : ""}); ship errors: ${shipErrors}. ` +
        `Achieved ${(ships.length / loadSeconds).toFixed(0)} ships/s; app process CPU ${cpu.serverCpu}% of one core, machine ${cpu.machineBusy}% busy. Target: p99 < 1 s (upper bound) — ${percentile(lags, 99) < 1000 ? "met" : "NOT met"}.`,
      "",
    ].join("\n");
    writeFileSync(opts.output!, report);
    log(report);
  } finally {
    await receiver.stop();
    await server.stop();
  }
}

await main();
