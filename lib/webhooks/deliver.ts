import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secrets";
import { newId } from "@/lib/ids";
import { claimDeliveries, type ClaimedDelivery } from "./claim";
import { postWebhook, type PostResult } from "./http-client";
import { disableEndpoint } from "./operations";
import { nextRetryDelay, parseRetryAfter, parseRetrySchedule, type RetryPolicy } from "./retry";
import { signatureHeaders } from "./signing";
import { secretContext } from "./subscriptions";
import { mustBePublic } from "./url-policy";

export type DeliveryOptions = {
  policy: RetryPolicy;
  /** Whole-exchange timeout of one POST (spec: 10 s). */
  timeoutMs: number;
  /** Deliveries claimed per round. */
  batchSize: number;
  /** Deliveries to one endpoint per round, sent in order. */
  perEndpoint: number;
  leaseMarginMs: number;
  /** An endpoint failing without a single success for this long is disabled. */
  disableAfterMs: number;
  /** Only this account's deliveries (see ClaimOptions). */
  accountId?: string;
};

export function deliveryOptions(overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
  return {
    policy: overrides.policy ?? parseRetrySchedule(process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS),
    timeoutMs: 10_000,
    batchSize: 100,
    perEndpoint: 10,
    leaseMarginMs: 30_000,
    disableAfterMs: 24 * 3600 * 1000,
    ...overrides,
  };
}

/** The body exactly as sent: the frozen payload, built once per attempt and signed over these bytes. */
export function deliveryBody(claimed: Pick<ClaimedDelivery, "eventId" | "eventType" | "eventCreatedAt" | "payloadJson">): Buffer {
  const data = JSON.parse(claimed.payloadJson) as unknown;
  return Buffer.from(JSON.stringify({ event_id: claimed.eventId, event_type: claimed.eventType, created_at: claimed.eventCreatedAt, data }), "utf8");
}

type Outcome =
  | { kind: "succeeded" }
  | { kind: "gone" }
  | { kind: "failed"; error: string; retryAfterSeconds: number | null };

function classify(result: PostResult, now: Date): Outcome {
  const status = result.statusCode;
  if (status === undefined) return { kind: "failed", error: result.error ?? "no response", retryAfterSeconds: null };
  if (status >= 200 && status < 300) return { kind: "succeeded" };
  if (status === 410) return { kind: "gone" };
  if (status >= 300 && status < 400) {
    return { kind: "failed", error: `HTTP ${status}: redirect${result.location ? ` to ${result.location}` : ""} not followed`, retryAfterSeconds: null };
  }
  const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(result.retryAfter, now) : null;
  return { kind: "failed", error: `HTTP ${status}`, retryAfterSeconds };
}

async function send(claimed: ClaimedDelivery, options: DeliveryOptions): Promise<{ startedAt: Date; result: PostResult }> {
  const startedAt = new Date();
  try {
    const secret = decryptSecret(claimed.secretCiphertext, secretContext(claimed.endpointId));
    const body = deliveryBody(claimed);
    const headers = signatureHeaders(secret, claimed.eventId, Math.floor(startedAt.getTime() / 1000), body);
    const result = await postWebhook(new URL(claimed.url), body, headers, { timeoutMs: options.timeoutMs, requirePublic: mustBePublic(claimed.environment) });
    return { startedAt, result };
  } catch (error) {
    // A secret that no longer decrypts (SECRETS_KEY changed) is a failed attempt the dashboard shows, not a crash.
    return { startedAt, result: { error: `not sent: ${(error as Error).message}`, durationMs: 0 } };
  }
}

/** The attempt row; a late real result overwrites the "abandoned" placeholder a re-claim may have written. */
async function insertAttempt(tx: Tx, claimed: ClaimedDelivery, startedAt: Date, result: PostResult, succeeded: boolean, error: string | null) {
  const values = {
    startedAt,
    durationMs: result.durationMs,
    statusCode: result.statusCode ?? null,
    responseBody: result.responseBody ?? null,
    error,
    succeeded,
  };
  await tx
    .insert(webhookAttempts)
    .values({
      id: newId("wha"),
      accountId: claimed.accountId,
      environment: claimed.environment,
      deliveryId: claimed.id,
      endpointId: claimed.endpointId,
      attemptNumber: claimed.attemptNumber,
      ...values,
    })
    .onConflictDoUpdate({ target: [webhookAttempts.deliveryId, webhookAttempts.attemptNumber], set: { ...values, updatedAt: sql`now()` } });
}

/** Records an attempt and moves the delivery on: delivered, scheduled again, or dead; and the endpoint's health. */
export async function recordAttempt(db: Db, claimed: ClaimedDelivery, startedAt: Date, result: PostResult, options: DeliveryOptions): Promise<Outcome["kind"] | "dead"> {
  const now = new Date();
  const outcome = classify(result, now);
  const error = outcome.kind === "succeeded" ? null : outcome.kind === "gone" ? "HTTP 410 Gone: subscription disabled" : outcome.error;
  return inTransaction(db, async (tx) => {
    await insertAttempt(tx, claimed, startedAt, result, outcome.kind === "succeeded", error);
    const mine = and(eq(webhookDeliveries.id, claimed.id), eq(webhookDeliveries.leaseToken, claimed.leaseToken));
    const common = { leaseUntil: null, leaseToken: null, lastStatusCode: result.statusCode ?? null, lastError: error, updatedAt: sql`now()` };

    if (outcome.kind === "succeeded") {
      await tx.update(webhookDeliveries).set({ ...common, status: "succeeded", deliveredAt: sql`now()` }).where(mine);
      await tx
        .update(webhookEndpoints)
        .set({ failingSince: null, updatedAt: sql`now()` })
        .where(and(eq(webhookEndpoints.id, claimed.endpointId), sql`${webhookEndpoints.failingSince} is not null`));
      return "succeeded";
    }

    if (outcome.kind === "gone") {
      await tx.update(webhookDeliveries).set({ ...common, status: "dead", deadAt: sql`now()` }).where(mine);
      await disableEndpoint(tx, claimed.endpointId, `The receiver answered 410 Gone at ${now.toISOString()}.`);
      return "gone";
    }

    const delay = nextRetryDelay(options.policy, claimed.cycleAttempts, claimed.firstAttemptAt, now, outcome.retryAfterSeconds);
    const moved =
      delay === null
        ? await tx.update(webhookDeliveries).set({ ...common, status: "dead", deadAt: sql`now()` }).where(mine).returning({ id: webhookDeliveries.id })
        : await tx
            .update(webhookDeliveries)
            .set({ ...common, nextAttemptAt: sql`now() + make_interval(secs => ${delay}::float8)` })
            .where(mine)
            .returning({ id: webhookDeliveries.id });
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${startedAt.toISOString()}::timestamptz)`, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, claimed.endpointId))
      .returning({ failingSince: webhookEndpoints.failingSince, status: webhookEndpoints.status });
    if (endpoint?.status === "active" && endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= options.disableAfterMs) {
      const hours = Math.round(options.disableAfterMs / 3_600_000);
      await disableEndpoint(tx, claimed.endpointId, `Every attempt failed for ${hours} h (since ${endpoint.failingSince.toISOString()}); last error: ${error}.`);
    }
    return moved.length && delay === null ? "dead" : "failed";
  });
}

/** Writes the record of an attempt whose worker died before it could (seen when its lease ran out). */
async function recordAbandoned(db: Db, claimed: ClaimedDelivery): Promise<void> {
  if (!claimed.abandoned) return;
  await db
    .insert(webhookAttempts)
    .values({
      id: newId("wha"),
      accountId: claimed.accountId,
      environment: claimed.environment,
      deliveryId: claimed.id,
      endpointId: claimed.endpointId,
      attemptNumber: claimed.abandoned.attemptNumber,
      startedAt: claimed.abandoned.startedAt,
      durationMs: 0,
      succeeded: false,
      error: "abandoned: the worker stopped before recording this attempt; its lease expired and the delivery was retried",
    })
    .onConflictDoNothing();
}

/** Sends one claimed delivery and records the outcome. */
export async function deliverClaimed(db: Db, claimed: ClaimedDelivery, options: DeliveryOptions): Promise<Outcome["kind"] | "dead" | "skipped"> {
  // The lease is about to lapse (the endpoint was slow for every earlier delivery of this claim): leave this one to
  // the next claim rather than risk two workers sending it.
  if (Date.now() > claimed.sendBy) return "skipped";
  await recordAbandoned(db, claimed);
  const { startedAt, result } = await send(claimed, options);
  return recordAttempt(db, claimed, startedAt, result, options);
}

/** One endpoint's share of a claim, strictly one after another, oldest first. */
export async function deliverGroup(db: Db, group: ClaimedDelivery[], options: DeliveryOptions): Promise<void> {
  for (const claimed of group) {
    try {
      await deliverClaimed(db, claimed, options);
    } catch (error) {
      // The lease brings it back; one failure to record must not strand the rest of the group.
      console.error(`webhook delivery ${claimed.id} could not be recorded`, error);
    }
  }
}

export function groupByEndpoint(claimed: ClaimedDelivery[]): ClaimedDelivery[][] {
  const groups = new Map<string, ClaimedDelivery[]>();
  for (const c of claimed) groups.set(c.endpointId, [...(groups.get(c.endpointId) ?? []), c]);
  return [...groups.values()];
}

export function claimOptions(options: DeliveryOptions) {
  return {
    limit: options.batchSize,
    perEndpoint: options.perEndpoint,
    attemptBudgetMs: options.timeoutMs + 2_000,
    leaseMarginMs: options.leaseMarginMs,
    accountId: options.accountId,
  };
}

/**
 * One round: claim what is due and deliver it, endpoints in parallel, each endpoint's deliveries in order.
 * Returns how many deliveries were claimed. The worker loop runs rounds without waiting on slow endpoints; tests
 * and one-shot runs call this directly.
 */
export async function deliverDue(db: Db, options: DeliveryOptions = deliveryOptions()): Promise<number> {
  const claimed = await claimDeliveries(db, claimOptions(options));
  await Promise.all(groupByEndpoint(claimed).map((group) => deliverGroup(db, group, options)));
  return claimed.length;
}
