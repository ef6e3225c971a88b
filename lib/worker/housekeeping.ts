import { purgeExpiredIdempotencyKeys } from "@/lib/orders/idempotency";
import type { WorkerLoop } from "./index";

/**
 * Deletes what has outlived its promise: Idempotency-Keys are kept 7 days (spec §2), then they only cost index
 * space. Runs every 10 minutes; with several workers they simply delete nothing after the first.
 */
export function housekeepingLoop(): WorkerLoop {
  return {
    name: "housekeeping",
    idleMs: 10 * 60_000,
    async tick({ db }) {
      await purgeExpiredIdempotencyKeys(db);
      return 0;
    },
  };
}
