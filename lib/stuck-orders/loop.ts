import type { WorkerLoop } from "@/lib/worker/types";
import { detectStuckOrders } from "./detect";

/**
 * Looks for stuck orders at start and then every minute. A pass never asks to run again at once: what it found
 * is done, and the next minute is soon enough for thresholds counted in minutes and hours.
 */
export function stuckOrderLoop(): WorkerLoop {
  return {
    name: "stuck-orders",
    idleMs: 60_000,
    async tick({ db }) {
      await detectStuckOrders(db);
      return 0;
    },
  };
}
