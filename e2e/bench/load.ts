import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { databaseName } from "../support/database";

const run = promisify(execFile);

/** One measured run: throughput and latency, plus what else the machine did meanwhile. */
export type Figure = {
  label: string;
  tool: "autocannon" | "pgbench";
  connections: number;
  seconds: number;
  /** Successful requests (or transactions) per second. */
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU of the server process(es) in % of one core, when measured. */
  serverCpu?: number;
  /** Whole-machine busy % (both cores = 100). */
  machineBusy?: number;
  note?: string;
};

/** CPU time of processes and of the machine, read from /proc, to tell which side saturated. */
export class CpuMeter {
  private startProc = 0;
  private startMachine = { busy: 0, total: 0 };
  private started = 0;

  constructor(private readonly pids: number[]) {}

  private static procTicks(pid: number): number {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      return 0;
    }
  }

  private static machine(): { busy: number; total: number } {
    const [cpu] = readFileSync("/proc/stat", "utf8").split("\n");
    const v = cpu.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + v[4];
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  }

  start(): void {
    this.startProc = this.pids.reduce((a, pid) => a + CpuMeter.procTicks(pid), 0);
    this.startMachine = CpuMeter.machine();
    this.started = Date.now();
  }

  stop(): { serverCpu: number; machineBusy: number } {
    const ticks = this.pids.reduce((a, pid) => a + CpuMeter.procTicks(pid), 0) - this.startProc;
    const seconds = (Date.now() - this.started) / 1000;
    const m = CpuMeter.machine();
    const hz = 100; // USER_HZ on Linux
    return {
      serverCpu: Math.round((ticks / hz / seconds) * 100),
      machineBusy: Math.round(((m.busy - this.startMachine.busy) / Math.max(1, m.total - this.startMachine.total)) * 100),
    };
  }
}

export type HttpLoad = {
  url: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** A fresh request per call (unique bodies, varying paths). */
  next?: () => { path?: string; body?: string; headers?: Record<string, string> };
};

function startAutocannon(load: HttpLoad): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.url,
        connections: load.connections,
        duration: load.seconds,
        method: load.method ?? "GET",
        headers: load.headers,
        timeout: 10,
        requests: load.next
          ? [
              {
                setupRequest: (request) => {
                  const next = load.next!();
                  return {
                    ...request,
                    ...(next.path ? { path: next.path } : {}),
                    ...(next.body !== undefined ? { body: next.body } : {}),
                    headers: { ...request.headers, ...(next.headers ?? {}) },
                  };
                },
              },
            ]
          : undefined,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    void instance;
  });
}

function figureOf(label: string, load: HttpLoad, result: autocannon.Result, note?: string): Figure {
  const ok = result["2xx"];
  const bad = result.non2xx + result.errors + result.timeouts;
  return {
    label,
    tool: "autocannon",
    connections: load.connections,
    seconds: result.duration,
    rate: Math.round(ok / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: bad,
    note: bad ? `${note ? `${note}; ` : ""}${result.non2xx} non-2xx, ${result.errors} errors` : note,
  };
}

/** HTTP load with autocannon; only 2xx answers count toward the rate. */
export async function httpLoad(label: string, load: HttpLoad, meter?: CpuMeter): Promise<Figure> {
  meter?.start();
  const result = await startAutocannon(load);
  return { ...figureOf(label, load, result), ...(meter?.stop() ?? {}) };
}

/**
 * Several autocannon instances at once (one per server process): rates add up; the p99 reported is the worst of
 * the instances' p99s (autocannon gives percentiles, not histograms to merge).
 */
export async function httpLoadSplit(label: string, loads: HttpLoad[], meter?: CpuMeter): Promise<Figure> {
  meter?.start();
  const results = await Promise.all(loads.map(startAutocannon));
  const cpu = meter?.stop() ?? {};
  const parts = results.map((r, i) => figureOf(label, loads[i], r));
  return {
    label,
    tool: "autocannon",
    connections: loads.reduce((a, l) => a + l.connections, 0),
    seconds: Math.max(...parts.map((p) => p.seconds)),
    rate: parts.reduce((a, p) => a + p.rate, 0),
    p50: Math.max(...parts.map((p) => p.p50)),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((a, p) => a + p.errors, 0),
    note: `split ${parts.map((p) => `${p.rate}/s`).join(" + ")}`,
    ...cpu,
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export type PgbenchLoad = { databaseUrl: string; script: string; clients: number; seconds: number; defines: Record<string, string> };

/** pgbench with a script; p50/p99 from its per-transaction log (microseconds, third field). */
/** Host, port and user of a postgres:// URL as arguments of psql and pgbench. */
export function connectionArgs(databaseUrl: string): string[] {
  const url = new URL(databaseUrl);
  return ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres")];
}

export async function pgbench(label: string, load: PgbenchLoad, meter?: CpuMeter): Promise<Figure> {
  const logDir = mkdtempSync(path.join(tmpdir(), "hub-pgbench-"));
  const args = [
    ...connectionArgs(load.databaseUrl),
    "-n", "-M", "prepared", "-c", String(load.clients), "-j", "2", "-T", String(load.seconds),
    "-f", load.script, "-l", `--log-prefix=${path.join(logDir, "tx")}`,
    ...Object.entries(load.defines).flatMap(([k, v]) => ["-D", `${k}=${v}`]),
    databaseName(load.databaseUrl),
  ];
  meter?.start();
  try {
    const { stdout } = await run("pgbench", args, { maxBuffer: 16 * 1024 * 1024 });
    const cpu = meter?.stop() ?? {};
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    const latencies: number[] = [];
    for (const file of readdirSync(logDir)) {
      for (const line of readFileSync(path.join(logDir, file), "utf8").split("\n")) {
        const us = Number(line.split(" ")[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      label,
      tool: "pgbench",
      connections: load.clients,
      seconds: load.seconds,
      rate: Math.round(tps),
      p50: Math.round(percentile(latencies, 50) * 10) / 10,
      p99: Math.round(percentile(latencies, 99) * 10) / 10,
      errors: failed,
      ...cpu,
    };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}
