import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { serverEnv } from "./playwright-env";

const nextBin = path.resolve("node_modules/next/dist/bin/next");

export type ServerTarget = {
  databaseUrl?: string;
  dataDir?: string;
  /** More environment for the server (BENCH_BUILD, WORKER, pool size). */
  env?: Record<string, string>;
  /** Flags for node itself (--cpu-prof). */
  nodeArgs?: string[];
};

/**
 * A production server process of our own (the same build Playwright's webServer runs), for tests that must
 * kill and restart it. It runs in its own process group so `kill -9` takes everything it started with it.
 */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export class AppServer {
  private child?: ChildProcess;
  private output = "";

  constructor(
    readonly port: number,
    readonly target: ServerTarget,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A process killed by a signal has no exit code, only a signal code. */
  get running(): boolean {
    return Boolean(this.child) && this.child!.exitCode === null && this.child!.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get log(): string {
    return this.output.slice(-4000);
  }

  async start(timeoutMs = 120_000): Promise<void> {
    if (await answers(this.url)) throw new Error(`port ${this.port} is already taken by another server`);
    const env: NodeJS.ProcessEnv = { ...process.env, ...serverEnv(this.target.databaseUrl, this.port, this.target.env) };
    if (!this.target.databaseUrl) delete env.DATABASE_URL;
    if (this.target.dataDir) env.DATA_DIR = this.target.dataDir;
    const args = [...(this.target.nodeArgs ?? []), nextBin, "start", "-p", String(this.port)];
    const child = spawn(process.execPath, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-65_536));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`server on ${this.port} exited (${child.exitCode ?? child.signalCode}):\n${this.log}`);
      try {
        // 401 from an API route: routes are up and instrumentation (migrations) has finished.
        const response = await fetch(`${this.url}/v1/warehouses`, { signal: AbortSignal.timeout(5_000) });
        if (response.status === 401) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.crash();
    throw new Error(`server on ${this.port} did not become ready:\n${this.log}`);
  }

  /** SIGKILL the whole process group: no shutdown hook, no flush, as a power cut of the process would. */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid && this.running && process.kill(-child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
