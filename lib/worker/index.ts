import { createDatabase, database, type DatabaseHandle, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { builtInLoops } from "./loops";
import type { WorkerLoop } from "./types";

/**
 * The background worker: a handful of polling loops (webhook deliveries, channel pushes, …) that run inside the
 * app process by default (instrumentation calls startWorker unless WORKER=off) or alone (`npm run worker`). Loops
 * hold no state another instance would need: they claim their work in the database (FOR UPDATE SKIP LOCKED and
 * leases), so any number of workers can run side by side.
 *
 * Adding a loop: write a WorkerLoop (lib/worker/types.ts) and list it in lib/worker/loops.ts (or call registerLoop
 * before startWorker).
 */

type Running = { controller: AbortController; done: Promise<void>; loops: string[]; ownHandle?: DatabaseHandle };

const globalForWorker = globalThis as unknown as { __hubWorker?: Running; __hubLoops?: Map<string, WorkerLoop> };
const registry = (globalForWorker.__hubLoops ??= new Map());

/** Adds (or replaces, by name) a loop run by the next startWorker. */
export function registerLoop(loop: WorkerLoop): void {
  registry.set(loop.name, loop);
}

const MAX_ERROR_BACKOFF_MS = 5_000;

function sleep(ms: number, signal: AbortSignal, wakeUp: { resolve?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      wakeUp.resolve = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    wakeUp.resolve = done;
  });
}

async function runLoop(loop: WorkerLoop, db: Db, signal: AbortSignal): Promise<void> {
  const idleMs = loop.idleMs ?? 250;
  const wakeUp: { resolve?: () => void; pending?: boolean } = {};
  const wake = () => {
    if (wakeUp.resolve) wakeUp.resolve();
    else wakeUp.pending = true;
  };
  let failures = 0;
  while (!signal.aborted) {
    wakeUp.pending = false;
    let handled = 0;
    try {
      handled = await loop.tick({ db, signal, wake });
      failures = 0;
    } catch (error) {
      failures += 1;
      if (!signal.aborted) console.error(`worker loop '${loop.name}' failed (attempt ${failures}); retrying`, error);
    }
    if (signal.aborted) break;
    if (failures > 0) await sleep(Math.min(idleMs * 2 ** failures, MAX_ERROR_BACKOFF_MS), signal, wakeUp);
    else if (handled === 0 && !wakeUp.pending) await sleep(idleMs, signal, wakeUp);
  }
  await loop.drain?.();
}

/**
 * The worker's database when none is given. On PostgreSQL it is a small pool of its own: sharing the app's pool,
 * a burst of HTTP requests queues the worker's claims and records behind them, and webhooks fall minutes behind
 * exactly when traffic is high. Embedded mode has one PGlite per process, so it shares that.
 */
function workerDatabase(): { db: Db; ownHandle?: DatabaseHandle } {
  const shared = database();
  if (shared.mode !== "postgres") return { db: shared.db };
  const ownHandle = createDatabase({ url: shared.url, poolMax: env().WORKER_POOL_MAX });
  return { db: ownHandle.db, ownHandle };
}

/**
 * Starts every built-in and registered loop (or `options.loops`) on `options.db`, or on a database of its own (see
 * workerDatabase). Starting twice in one process is a no-op that returns the running worker's loop names.
 */
export function startWorker(options: { db?: Db; loops?: WorkerLoop[] } = {}): { loops: string[] } {
  if (globalForWorker.__hubWorker) return { loops: globalForWorker.__hubWorker.loops };
  const { db, ownHandle } = options.db ? { db: options.db, ownHandle: undefined } : workerDatabase();
  const loops = options.loops ?? [...builtInLoops(), ...registry.values()];
  const controller = new AbortController();
  const done = Promise.all(loops.map((loop) => runLoop(loop, db, controller.signal))).then(() => undefined);
  globalForWorker.__hubWorker = { controller, done, loops: loops.map((l) => l.name), ownHandle };
  return { loops: loops.map((l) => l.name) };
}

/** Stops the loops and waits for work in flight (at most one HTTP timeout per webhook endpoint). */
export async function stopWorker(): Promise<void> {
  const running = globalForWorker.__hubWorker;
  if (!running) return;
  running.controller.abort();
  await running.done;
  await running.ownHandle?.close();
  globalForWorker.__hubWorker = undefined;
}

export function workerRunning(): boolean {
  return Boolean(globalForWorker.__hubWorker);
}
