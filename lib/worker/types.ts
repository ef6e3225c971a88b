import type { Db } from "@/db/client";

/**
 * The shape of a worker loop, apart from the worker that runs them: the areas that write loops (webhooks,
 * channels, housekeeping) depend on this file only, and the worker depends on them through its list of loops.
 */

export type LoopContext = {
  db: Db;
  /** Aborted when the worker stops: long waits inside a tick should give up. */
  signal: AbortSignal;
  /** Runs the loop's next tick at once (e.g. when background work it started has finished). */
  wake: () => void;
};

export type WorkerLoop = {
  name: string;
  /** One round of work. Returns how many items it handled: more than 0 runs the next round at once, 0 sleeps. */
  tick: (ctx: LoopContext) => Promise<number>;
  /** Sleep between idle rounds (default 250 ms: work committed now is picked up well within a second). */
  idleMs?: number;
  /** Awaited when the worker stops, after the last tick: finish what tick started in the background. */
  drain?: () => Promise<void>;
};
