import { env } from "@/lib/env";
import type { WorkerLoop } from "@/lib/worker/types";
import { OVERVIEW_SAMPLE_EVERY, sampleGauges } from "@/lib/metrics/gauges";
import { fulfillmentQueue } from "./fulfillment";
import { inventoryQueue } from "./inventory";
import { shopLanesLoop } from "./lanes";
import { runReconciliation } from "./reconcile";

/**
 * The push-back loops. Each claims its rows in the database (SKIP LOCKED + lease) and spends the shop's API budget
 * through the shared cost limiter, so several workers can run them side by side; each shop's pushes run in their own
 * lane, so a slow or throttled shop never holds up the others (lanes.ts).
 */
export function shopifyPushLoops(): WorkerLoop[] {
  let lastSample = 0;
  let passes = 0;
  return [
    shopLanesLoop("shopify-fulfillment-push", fulfillmentQueue),
    shopLanesLoop("shopify-inventory-push", inventoryQueue),
    // Cheap when nothing is due (one cursor read per connection); a due pass re-reads a slice of levels.
    { name: "shopify-inventory-reconcile", tick: async ({ db }) => (await runReconciliation(db), 0), idleMs: 5000 },
    {
      name: "sync-metrics-gauges",
      tick: async ({ db }) => {
        if (Date.now() - lastSample < env().METRICS_SAMPLE_INTERVAL_SECONDS * 1000) return 0;
        lastSample = Date.now();
        await sampleGauges(db, { overview: passes++ % OVERVIEW_SAMPLE_EVERY === 0 });
        return 0;
      },
      idleMs: 5000,
    },
  ];
}
