import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { createTenant } from "@/e2e/support/factories";
import { emitEvent } from "@/lib/events/outbox";
import { claimDeliveries } from "./claim";
import { disableEndpoint } from "./operations";
import { createWebhook } from "./subscriptions";

describe("claimDeliveries", () => {
  it("claims oldest first, a few per endpoint, never from an endpoint already being worked on or disabled", async () => {
    const db = getDb();
    const t = await createTenant();
    const a = await createWebhook(db, t.ctx, { url: "http://127.0.0.1:9/a", events: ["shipment.created"] });
    const b = await createWebhook(db, t.ctx, { url: "http://127.0.0.1:9/b", events: ["shipment.created"] });
    const events: string[] = [];
    for (let i = 0; i < 3; i++) events.push(await inTransaction(db, (tx) => emitEvent(tx, t.ctx, "shipment.created", { id: `shp_${i}` })));
    const options = { limit: 10, perEndpoint: 2, attemptBudgetMs: 1_000, leaseMarginMs: 1_000, accountId: t.accountId };

    const first = await claimDeliveries(db, options);
    expect(first.map((c) => [c.endpointId, c.eventId, c.rank, c.attemptNumber])).toEqual(
      [
        [a.id, events[0], 1, 1],
        [a.id, events[1], 2, 1],
        [b.id, events[0], 1, 1],
        [b.id, events[1], 2, 1],
      ].sort((x, y) => (x[0] === y[0] ? 0 : String(x[0]) < String(y[0]) ? -1 : 1)),
    );
    expect(first.map((c) => [c.abandoned, JSON.parse(c.payloadJson).id])).toEqual([
      [null, "shp_0"],
      [null, "shp_1"],
      [null, "shp_0"],
      [null, "shp_1"],
    ]);
    // Both endpoints have a claim in flight: the third event waits, whoever asks.
    expect(await claimDeliveries(db, options)).toEqual([]);

    await disableEndpoint(db, a.id, "test");
    // The lease of the n-th claimed delivery of an endpoint is margin + n × budget (here 2 s and 3 s).
    await new Promise((r) => setTimeout(r, 3_100));
    // Leases over: b's two come back (marked abandoned) with its third; a is disabled, so nothing of a.
    const second = await claimDeliveries(db, { ...options, perEndpoint: 5 });
    expect(second.map((c) => [c.endpointId, c.eventId, c.attemptNumber, c.abandoned?.attemptNumber ?? null])).toEqual([
      [b.id, events[0], 2, 1],
      [b.id, events[1], 2, 1],
      [b.id, events[2], 1, null],
    ]);
  });
});
