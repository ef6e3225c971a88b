import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { operationalExceptions, outboxEvents, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { resetEnvForTests, setEnvForTests } from "@/lib/env";
import { emitEvent, type EventType } from "@/lib/events/outbox";
import { createTenant, type TestTenant } from "@/e2e/support/factories";
import { startReceiver, verifyHubSignature, verifyStandardSignature, type Receiver } from "@/e2e/support/webhook-receiver";
import { claimDeliveries } from "./claim";
import { claimOptions, deliverDue, deliveryOptions } from "./deliver";
import { reEnableEndpoint, replayDeadLetters, replayDelivery, sendTestEvent } from "./operations";
import { retryPolicy } from "./retry";
import { createWebhook, deleteWebhook } from "./subscriptions";

/** The webhook_dead exceptions raised for an endpoint's dead letters. */
async function deadLetterExceptions(endpointId: string) {
  const rows = await getDb()
    .select({ status: operationalExceptions.status, data: operationalExceptions.data, groupKey: operationalExceptions.groupKey })
    .from(operationalExceptions)
    .where(and(eq(operationalExceptions.kind, "webhook_dead"), sql`${operationalExceptions.data}->>'endpoint_id' = ${endpointId}`));
  return rows.map((r) => ({ status: r.status, deliveryId: r.data?.delivery_id, groupKey: r.groupKey }));
}

const db = () => getDb();
const fast = deliveryOptions({ policy: retryPolicy([0.2, 0.2, 0.2]), timeoutMs: 1_000 });
const receivers: Receiver[] = [];

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  resetEnvForTests();
});

async function subscribe(t: TestTenant, url: string, events: EventType[] = ["shipment.created"]) {
  return createWebhook(db(), t.ctx, { url, events });
}

const shipment = (n = 1) => ({ id: `shp_test_${n}`, order_id: "ord_test", status: "shipped", parcels: [{ tracking_number: `TRK${n}`, carrier: "auspost" }], note: "naïve — ünïcode ✓" });

async function emit(t: TestTenant, type: EventType = "shipment.created", data: Record<string, unknown> = shipment()) {
  return inTransaction(db(), (tx) => emitEvent(tx, t.ctx, type, data));
}

async function deliveriesOf(eventId: string) {
  return db().select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
}

async function deliveryOf(eventId: string) {
  const [row] = await deliveriesOf(eventId);
  return row;
}

async function attemptsOf(deliveryId: string) {
  return db().select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(asc(webhookAttempts.attemptNumber));
}

/** Runs delivery rounds until the delivery of `eventId` reaches `status` (retries are 0.2 s apart). */
async function deliverUntil(eventId: string, status: "succeeded" | "dead", options = fast, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  // Only this test's account: other test files may share the database and run their own workers.
  const { accountId } = await deliveryOf(eventId);
  for (;;) {
    await deliverDue(db(), { ...options, accountId });
    const row = await deliveryOf(eventId);
    if (row.status === status) return row;
    if (Date.now() > deadline) throw new Error(`delivery of ${eventId} is ${row.status} after ${timeoutMs} ms (last error: ${row.lastError})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("webhook delivery over real HTTP", () => {
  it("POSTs the frozen resource, signed under both schemes over the exact bytes sent, and records the attempt", async () => {
    const t = await createTenant();
    const r = await receiver((_req, res) => {
      res.writeHead(200).end("x".repeat(5000));
    });
    const hook = await subscribe(t, r.url);
    const eventId = await emit(t);

    const delivery = await deliverUntil(eventId, "succeeded");
    const [request] = r.requests;
    expect(r.requests).toHaveLength(1);
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toEqual({ event_id: eventId, event_type: "shipment.created", created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), data: shipment() });
    expect(request.headers["x-webhook-id"]).toBe(eventId);
    expect(request.headers["webhook-id"]).toBe(eventId);
    expect(String(request.headers["x-webhook-signature"])).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    expect(String(request.headers["webhook-signature"])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(request.headers["webhook-timestamp"]).toBe(String(request.headers["x-webhook-signature"]).slice(2, 12));
    expect(verifyHubSignature(hook.secret, request)).toBe(true);
    expect(verifyStandardSignature(hook.secret, request)).toBe(true);
    // A receiver must reject a body that was changed in transit, and a signature made with another secret.
    expect(verifyHubSignature(hook.secret, { ...request, raw: Buffer.concat([request.raw, Buffer.from(" ")]) })).toBe(false);
    expect(verifyStandardSignature("whsec_" + Buffer.alloc(32, 1).toString("base64"), request)).toBe(false);

    expect(delivery).toMatchObject({ status: "succeeded", attemptCount: 1, lastStatusCode: 200, lastError: null, leaseUntil: null });
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt).toMatchObject({ attemptNumber: 1, statusCode: 200, succeeded: true, error: null });
    expect(attempt.responseBody).toBe("x".repeat(2048));
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("fans out in the emitting transaction to active matching endpoints of the same account and environment only", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const r = await receiver();
    const wanted = await subscribe(t, r.url, ["shipment.created", "shipment.updated"]);
    await subscribe(t, r.url, ["order.cancelled"]);
    await subscribe(other, r.url, ["shipment.created"]);
    const deleted = await subscribe(t, r.url, ["shipment.created"]);
    await deleteWebhook(db(), t.ctx, deleted.id);

    const eventId = await emit(t);
    expect((await deliveriesOf(eventId)).map((d) => d.endpointId)).toEqual([wanted.id]);
    const [stored] = await db()
      .select({ kind: sql<string>`jsonb_typeof(${outboxEvents.payload})`, payload: outboxEvents.payload })
      .from(outboxEvents)
      .where(eq(outboxEvents.id, eventId));
    expect(stored).toEqual({ kind: "object", payload: shipment() });

    await expect(
      inTransaction(db(), async (tx) => {
        const id = await emitEvent(tx, t.ctx, "shipment.created", shipment(2));
        throw new Error(`rolled back ${id}`);
      }),
    ).rejects.toThrow(/rolled back (evt_\w+)/);
    const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(outboxEvents).where(eq(outboxEvents.accountId, t.accountId));
    expect(n).toBe(1);
  });

  it("retries a 500 with the same event_id and records every attempt", async () => {
    const t = await createTenant();
    const r = await receiver();
    r.statuses(500);
    await subscribe(t, r.url);
    const eventId = await emit(t);

    const delivery = await deliverUntil(eventId, "succeeded");
    expect(r.requests.map((q) => q.body.event_id)).toEqual([eventId, eventId]);
    expect(r.requests[0].headers["webhook-id"]).toBe(r.requests[1].headers["webhook-id"]);
    expect((await attemptsOf(delivery.id)).map((a) => [a.attemptNumber, a.statusCode, a.succeeded, a.error])).toEqual([
      [1, 500, false, "HTTP 500"],
      [2, 200, true, null],
    ]);
  });

  const faults: [string, (r: Receiver, other: Receiver) => void, RegExp][] = [
    ["times out", (r) => r.respond(() => new Promise(() => undefined)), /timed out after 1000 ms/],
    ["resets the connection", (r) => r.respond((req, res) => res.socket?.destroy()), /reset|socket hang up/],
    [
      "redirects to another host",
      (r, other) => r.respond((_req, res) => res.writeHead(307, { location: other.url.replace("127.0.0.1", "localhost") }).end()),
      /HTTP 307: redirect to http:\/\/localhost:\d+\/hooks not followed/,
    ],
  ];
  it.each(faults)("retries when the receiver %s, then delivers the same event", async (_name, breakIt, error) => {
    const t = await createTenant();
    const r = await receiver();
    const other = await receiver();
    breakIt(r, other);
    await subscribe(t, r.url);
    const eventId = await emit(t);

    await deliverDue(db(), { ...fast, accountId: t.accountId });
    r.statuses();
    const delivery = await deliverUntil(eventId, "succeeded");
    const attempts = await attemptsOf(delivery.id);
    expect(attempts).toHaveLength(2);
    expect(attempts[0].error).toMatch(error);
    expect(attempts[0].succeeded).toBe(false);
    expect(attempts[1]).toMatchObject({ statusCode: 200, succeeded: true });
    expect(r.requests.at(-1)?.body.event_id).toBe(eventId);
    expect(other.requests).toHaveLength(0);
  });

  it("waits for a slow receiver that answers within the timeout", async () => {
    const t = await createTenant();
    const r = await receiver(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      res.writeHead(204).end();
    });
    await subscribe(t, r.url);
    const eventId = await emit(t);
    const delivery = await deliverUntil(eventId, "succeeded");
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt).toMatchObject({ statusCode: 204, succeeded: true });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(350);
  });

  it("keeps retrying while the receiver is down and delivers the same event when it is back", async () => {
    const t = await createTenant();
    const r = await receiver();
    await subscribe(t, r.url);
    await r.stop();
    const eventId = await emit(t);

    await deliverDue(db(), { ...fast, accountId: t.accountId });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await deliverDue(db(), { ...fast, accountId: t.accountId });
    await r.restart();
    const delivery = await deliverUntil(eventId, "succeeded");
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.slice(0, 2).map((a) => a.error)).toEqual(["connection refused", "connection refused"]);
    expect(attempts.at(-1)).toMatchObject({ statusCode: 200, succeeded: true });
    expect(r.requests.map((q) => q.body.event_id)).toEqual([eventId]);
  });

  it("redelivers an attempt abandoned mid-flight once its lease has expired, and logs the lost attempt", async () => {
    const t = await createTenant();
    const r = await receiver();
    const hook = await subscribe(t, r.url);
    const eventId = await emit(t);

    // A worker claims, then dies before sending or recording anything.
    const claimed = await claimDeliveries(db(), { ...claimOptions(fast), attemptBudgetMs: 300, leaseMarginMs: 300, accountId: t.accountId });
    expect(claimed.map((c) => c.eventId)).toContain(eventId);
    await deliverDue(db(), { ...fast, accountId: t.accountId });
    expect(r.requests).toHaveLength(0);
    expect((await deliveryOf(eventId)).status).toBe("pending");

    await new Promise((resolve) => setTimeout(resolve, 700));
    const delivery = await deliverUntil(eventId, "succeeded");
    expect(r.requests.map((q) => q.body.event_id)).toEqual([eventId]);
    expect((await attemptsOf(delivery.id)).map((a) => [a.attemptNumber, a.succeeded, a.error?.slice(0, 9) ?? null])).toEqual([
      [1, false, "abandoned"],
      [2, true, null],
    ]);
    expect(delivery.endpointId).toBe(hook.id);
  });

  it("makes a dead letter after the last retry, and a replay delivers it with the same event_id", async () => {
    const t = await createTenant();
    const r = await receiver();
    r.respond((_req, res) => res.writeHead(500).end("down"));
    const hook = await subscribe(t, r.url);
    const eventId = await emit(t);

    const dead = await deliverUntil(eventId, "dead", deliveryOptions({ policy: retryPolicy([0.1]), timeoutMs: 1_000 }));
    expect(dead).toMatchObject({ attemptCount: 2, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(dead.deadAt).toBeInstanceOf(Date);
    // Raised on the exceptions queue in the transaction that made it dead, grouped per endpoint.
    expect(await deadLetterExceptions(hook.id)).toEqual([{ status: "open", deliveryId: dead.id, groupKey: `webhook_dead:${hook.id}` }]);

    r.statuses();
    await replayDelivery(db(), dead.id);
    expect(await deadLetterExceptions(hook.id)).toEqual([{ status: "resolved", deliveryId: dead.id, groupKey: `webhook_dead:${hook.id}` }]);
    await expect(replayDelivery(db(), dead.id)).rejects.toThrow(/only dead letters/);
    const delivered = await deliverUntil(eventId, "succeeded");
    expect(delivered.id).toBe(dead.id);
    expect(r.requests.map((q) => q.body.event_id)).toEqual([eventId, eventId, eventId]);
    expect((await attemptsOf(dead.id)).map((a) => a.attemptNumber)).toEqual([1, 2, 3]);
    expect(await replayDeadLetters(db(), hook.id)).toBe(0);
  });

  it("disables the subscription on 410 Gone, turns what it still owed into dead letters, and resumes after re-enabling", async () => {
    const t = await createTenant();
    const r = await receiver();
    r.statuses(410);
    const hook = await subscribe(t, r.url);
    const first = await emit(t);
    await deliverUntil(first, "dead");
    const [endpoint] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, hook.id));
    expect(endpoint.status).toBe("disabled");
    expect(endpoint.disabledReason).toMatch(/410 Gone/);

    const meanwhile = await emit(t);
    expect(await deliveriesOf(meanwhile)).toEqual([]);
    await expect(replayDeadLetters(db(), hook.id)).rejects.toThrow(/re-enable/);

    expect((await deadLetterExceptions(hook.id)).map((x) => x.status)).toEqual(["open"]);
    await reEnableEndpoint(db(), hook.id);
    expect(await replayDeadLetters(db(), hook.id)).toBe(1);
    expect((await deadLetterExceptions(hook.id)).map((x) => x.status)).toEqual(["resolved"]);
    await deliverUntil(first, "succeeded");
    const later = await emit(t);
    await deliverUntil(later, "succeeded");
    expect(r.requests.map((q) => q.body.event_id)).toEqual([first, first, later]);
  });

  it("honours Retry-After on 429", async () => {
    const t = await createTenant();
    const r = await receiver((_req, res) => res.writeHead(429, { "retry-after": "3" }).end());
    await subscribe(t, r.url);
    const eventId = await emit(t);
    await deliverDue(db(), { ...fast, accountId: t.accountId });
    const [row] = await db()
      .select({ wait: sql<number>`extract(epoch from ${webhookDeliveries.nextAttemptAt} - now())::float8` })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.eventId, eventId));
    expect(row.wait).toBeGreaterThan(2);
    expect(row.wait).toBeLessThanOrEqual(3.5);
  });

  it("disables an endpoint that has failed for 24 hours, with the reason", async () => {
    const t = await createTenant();
    const r = await receiver((_req, res) => res.writeHead(502).end());
    const hook = await subscribe(t, r.url);
    const eventId = await emit(t);
    await db().update(webhookEndpoints).set({ failingSince: sql`now() - interval '25 hours'` }).where(eq(webhookEndpoints.id, hook.id));
    await deliverUntil(eventId, "dead");
    const [endpoint] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, hook.id));
    expect(endpoint.status).toBe("disabled");
    expect(endpoint.disabledReason).toMatch(/failed for 24 h.*HTTP 502/);
  });

  // Subscribed while private targets were allowed (as if the name resolved publicly then, and to loopback now).
  it.each([
    ["sandbox", "a name resolving to loopback", "localhost", /^blocked: localhost resolves to (127\.0\.0\.1|::1)/],
    ["live", "a name resolving to loopback", "localhost", /^blocked: localhost resolves to (127\.0\.0\.1|::1)/],
    ["sandbox", "a loopback address", "127.0.0.1", /^blocked: 127\.0\.0\.1 resolves to 127\.0\.0\.1/],
    ["live", "a loopback address", "127.0.0.1", /^blocked: 127\.0\.0\.1 resolves to 127\.0\.0\.1/],
  ] as const)("re-checks a %s endpoint's address at delivery time and never connects to %s", async (environment, _what, host, error) => {
    const t = await createTenant({ environment });
    const r = await receiver();
    await subscribe(t, r.url.replace("127.0.0.1", host));
    setEnvForTests({ WEBHOOK_ALLOW_PRIVATE_URLS: undefined });
    const eventId = await emit(t);
    await deliverDue(db(), { ...fast, accountId: t.accountId });
    const delivery = await deliveryOf(eventId);
    expect(delivery.lastError).toMatch(error);
    expect(r.requests).toHaveLength(0);
  });

  it("sends one endpoint's deliveries oldest first", async () => {
    const t = await createTenant();
    const r = await receiver();
    await subscribe(t, r.url);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await emit(t, "shipment.created", shipment(i)));
    await deliverUntil(ids[4], "succeeded");
    await deliverUntil(ids[0], "succeeded");
    expect(r.requests.map((q) => q.body.event_id)).toEqual(ids);
  });

  it("sends a test event to one endpoint on request", async () => {
    const t = await createTenant();
    const r = await receiver();
    const hook = await subscribe(t, r.url, ["order.cancelled"]);
    const eventId = await sendTestEvent(db(), hook.id);
    await deliverUntil(eventId, "succeeded");
    expect(r.requests[0].body).toMatchObject({ event_id: eventId, event_type: "webhook.test", data: { webhook_id: hook.id } });
    expect(verifyHubSignature(hook.secret, r.requests[0])).toBe(true);
    const rows = await db().select().from(webhookDeliveries).where(inArray(webhookDeliveries.eventId, [eventId]));
    expect(rows).toHaveLength(1);
  });
});
