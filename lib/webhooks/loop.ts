import type { WorkerLoop } from "@/lib/worker/types";
import { claimDeliveries } from "./claim";
import { claimOptions, deliverGroup, deliveryOptions, groupByEndpoint, type DeliveryOptions } from "./deliver";

/** Endpoints this process delivers to at the same time (each is one HTTP request at a time: cheap to hold). */
const MAX_GROUPS_IN_FLIGHT = 64;

/**
 * The delivery loop. A tick claims what is due and hands each endpoint's share to its own sequence of POSTs without
 * waiting for them: a receiver that takes its full 10 s timeout delays nothing but its own deliveries. When a
 * sequence ends the loop is woken, so that endpoint's next deliveries are claimed at once.
 */
export function webhookDeliveryLoop(overrides: Partial<DeliveryOptions> = {}): WorkerLoop {
  // Read when the worker starts: a malformed WEBHOOK_RETRY_SCHEDULE_SECONDS stops the start with its message.
  const options: DeliveryOptions = deliveryOptions(overrides);
  const inFlight = new Set<Promise<void>>();
  return {
    name: "webhooks",
    idleMs: 250,
    async tick({ db, wake }) {
      const free = MAX_GROUPS_IN_FLIGHT - inFlight.size;
      if (free <= 0) return 0;
      const claimed = await claimDeliveries(db, { ...claimOptions(options), limit: Math.min(options.batchSize, free * options.perEndpoint) });
      for (const group of groupByEndpoint(claimed)) {
        const sequence: Promise<void> = deliverGroup(db, group, options).finally(() => {
          inFlight.delete(sequence);
          wake();
        });
        inFlight.add(sequence);
      }
      return claimed.length;
    },
    async drain() {
      await Promise.all(inFlight);
    },
  };
}
