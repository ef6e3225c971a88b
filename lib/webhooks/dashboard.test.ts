import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { createTenant } from "@/e2e/support/factories";
import { startReceiver, type Receiver } from "@/e2e/support/webhook-receiver";
import { emitEvent } from "@/lib/events/outbox";
import { getEventLog, listDeadLetters, listEndpointHealth, listRecentDeliveries } from "./dashboard";
import { deliverDue, deliveryOptions } from "./deliver";
import { retryPolicy } from "./retry";
import { createWebhook } from "./subscriptions";

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.stop();
});

describe("webhook dashboard reads", () => {
  it("shows endpoint health, dead letters and an event's attempts", async () => {
    const db = getDb();
    const t = await createTenant();
    receiver = await startReceiver();
    receiver.statuses(200, 500, 500, 200);
    const hook = await createWebhook(db, t.ctx, { url: receiver.url, events: ["shipment.created"] });
    const ok = await inTransaction(db, (tx) => emitEvent(tx, t.ctx, "shipment.created", { id: "shp_ok" }));
    const options = deliveryOptions({ policy: retryPolicy([0.1]), timeoutMs: 1_000, accountId: t.accountId });
    await deliverDue(db, options);
    const dead = await inTransaction(db, (tx) => emitEvent(tx, t.ctx, "shipment.created", { id: "shp_dead" }));
    for (let i = 0; i < 40 && receiver.requests.length < 3; i++) {
      await deliverDue(db, options);
      await new Promise((r) => setTimeout(r, 50));
    }

    const [health] = await listEndpointHealth(db, { endpointId: hook.id });
    expect(health).toMatchObject({ id: hook.id, url: receiver.url, status: "active", attempts: 3, successes: 1, pending: 0, dead: 1, lastError: "HTTP 500" });
    expect(health.successRate).toBeCloseTo(1 / 3);
    expect(health.p50Ms).toBeGreaterThanOrEqual(0);
    expect(health.p95Ms).toBeGreaterThanOrEqual(health.p50Ms ?? 0);
    expect(health.failingSince).toMatch(/Z$/);

    const letters = await listDeadLetters(db, { endpointId: hook.id });
    expect(letters.map((l) => [l.eventId, l.status, l.attemptCount, l.lastError])).toEqual([[dead, "dead", 2, "HTTP 500"]]);
    expect((await listRecentDeliveries(db, hook.id)).map((d) => d.eventId)).toEqual([dead, ok]);

    const log = await getEventLog(db, dead);
    expect(log).toMatchObject({ id: dead, type: "shipment.created", payload: { id: "shp_dead" } });
    expect(log?.deliveries[0].attempts.map((a) => [a.attemptNumber, a.statusCode, a.succeeded, a.responseBody])).toEqual([
      [1, 500, false, "status 500"],
      [2, 500, false, "status 500"],
    ]);
    expect(await getEventLog(db, "evt_missing")).toBeNull();
  });
});
