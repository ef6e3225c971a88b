import { purgeExpiredIdempotencyKeys } from "@/lib/orders/idempotency";
import { storeMissingShipmentDocuments } from "@/lib/shipments/present";
import type { WorkerLoop } from "./types";

/**
 * Deletes what has outlived its promise: Idempotency-Keys are kept 7 days (spec §2), then they only cost index
 * space. Renders the documents of shipments stored before documents existed, a batch per round and at once
 * again while any are left. Runs every 10 minutes; with several workers the others find nothing to do.
 */
export function housekeepingLoop(): WorkerLoop {
  return {
    name: "housekeeping",
    idleMs: 10 * 60_000,
    async tick({ db }) {
      await purgeExpiredIdempotencyKeys(db);
      return storeMissingShipmentDocuments(db);
    },
  };
}
