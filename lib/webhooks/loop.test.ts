import { eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { webhookAttempts, webhookDeliveries } from "@/db/schema";
import { emitEvent } from "@/lib/events/outbox";
import { createTenant } from "@/e2e/support/factories";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { startReceiver, type Receiver } from "@/e2e/support/webhook-receiver";
import { registerLoop, startWorker, stopWorker, workerRunning } from "@/lib/worker";
import type { WorkerLoop } from "@/lib/worker/types";
import { deliverDue, deliveryOptions } from "./deliver";
import { webhookDeliveryLoop } from "./loop";
import { retryPolicy } from "./retry";
import { createWebhook } from "./subscriptions";

const receivers: Receiver[] = [];
afterEach(async () => {
  await stopWorker();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

describe("the worker", () => {
  it("delivers a committed event within a second, and never lets a hanging receiver hold up another", async () => {
    const t = await createTenant();
    const hanging = await receiver(() => new Promise(() => undefined));
    const healthy = await receiver();
    await createWebhook(getDb(), t.ctx, { url: hanging.url, events: ["shipment.created"] });
    await createWebhook(getDb(), t.ctx, { url: healthy.url, events: ["shipment.created"] });
    startWorker({ loops: [webhookDeliveryLoop({ timeoutMs: 2_000, policy: retryPolicy([1]), accountId: t.accountId })] });
    expect(workerRunning()).toBe(true);

    // Give the hanging endpoint something to hang on first.
    await inTransaction(getDb(), (tx) => emitEvent(tx, t.ctx, "shipment.created", { id: "shp_first" }));
    await hanging.waitForRequests(1);
    const committed = Date.now();
    const eventId = await inTransaction(getDb(), (tx) => emitEvent(tx, t.ctx, "shipment.created", { id: "shp_second" }));
    const [, second] = await healthy.waitForRequests(2, 3_000);
    expect(second.body.event_id).toBe(eventId);
    expect(second.at - committed).toBeLessThan(1_000);
    expect(hanging.requests).toHaveLength(1);
  });

  it("keeps a loop running after a failed tick and stops every loop on stopWorker", async () => {
    let ticks = 0;
    let drained = false;
    const flaky: WorkerLoop = {
      name: "flaky",
      idleMs: 10,
      tick: async () => {
        ticks += 1;
        if (ticks === 1) throw new Error("first tick fails");
        return 0;
      },
      drain: async () => {
        drained = true;
      },
    };
    registerLoop({ name: "other", idleMs: 10, tick: async () => 0 });
    const { loops } = startWorker({ loops: [flaky] });
    expect(loops).toEqual(["flaky"]);
    expect(startWorker().loops).toEqual(["flaky"]);
    const deadline = Date.now() + 5_000;
    while (ticks < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ticks).toBeGreaterThanOrEqual(3);
    await stopWorker();
    expect(drained).toBe(true);
    expect(workerRunning()).toBe(false);
    const after = ticks;
    await new Promise((r) => setTimeout(r, 100));
    expect(ticks).toBe(after);
  });
});

describe.skipIf(!onPostgres)(`two workers racing (${needsPostgres})`, () => {
  it("never send the same attempt twice", async () => {
    const t = await createTenant();
    const receivers3 = await Promise.all([receiver(), receiver(), receiver()]);
    for (const r of receivers3) await createWebhook(getDb(), t.ctx, { url: r.url, events: ["shipment.created"] });
    const eventIds: string[] = [];
    for (let i = 0; i < 60; i++) eventIds.push(await inTransaction(getDb(), (tx) => emitEvent(tx, t.ctx, "shipment.created", { id: `shp_${i}` })));

    const url = process.env.TEST_DATABASE_URL!;
    const workers = [createDatabase({ url, poolMax: 4 }), createDatabase({ url, poolMax: 4 })];
    const options = deliveryOptions({ batchSize: 4, perEndpoint: 2, policy: retryPolicy([0.2]), accountId: t.accountId });
    const pending = async () => {
      const [{ n }] = await getDb()
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(sql`${inArray(webhookDeliveries.eventId, eventIds)} and ${webhookDeliveries.status} = 'pending'`);
      return n;
    };
    try {
      await Promise.all(
        workers.map(async (w) => {
          const deadline = Date.now() + 30_000;
          while ((await pending()) > 0 && Date.now() < deadline) {
            if ((await deliverDue(w.db, options)) === 0) await new Promise((r) => setTimeout(r, 10));
          }
        }),
      );
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }

    for (const r of receivers3) {
      const seen = r.requests.map((q) => q.body.event_id as string);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...eventIds].sort());
    }
    const attempts = await getDb().select().from(webhookAttempts).innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookAttempts.deliveryId)).where(inArray(webhookDeliveries.eventId, eventIds));
    expect(attempts).toHaveLength(180);
    expect(attempts.every((a) => a.webhook_attempts.attemptNumber === 1 && a.webhook_attempts.succeeded)).toBe(true);
  });
});
