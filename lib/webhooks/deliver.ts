import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { claimDeliveries, type ClaimedDelivery } from "./claim";
import { postWebhook, type PostResult } from "./http-client";
import { disableEndpoint, raiseDeadDeliveries } from "./operations";
import { nextRetryDelay, parseRetryAfter, retryPolicy, type RetryPolicy } from "./retry";
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
    policy: overrides.policy ?? retryPolicy(env().WEBHOOK_RETRY_SCHEDULE_SECONDS),
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
    const result = await postWebhook(new URL(claimed.url), body, headers, { timeoutMs: options.timeoutMs, requirePublic: mustBePublic() });
    return { startedAt, result };
  } catch (error) {
    // A secret that no longer decrypts (SECRETS_KEY changed) is a failed attempt the dashboard shows, not a crash.
    return { startedAt, result: { error: `not sent: ${(error as Error).message}`, durationMs: 0 } };
  }
}

/** The attempt row as an upsert: a late real result overwrites the "abandoned" placeholder a re-claim may have written. */
function attemptUpsert(claimed: ClaimedDelivery, startedAt: Date, result: PostResult, succeeded: boolean, error: string | null): SQL {
  return sql`insert into webhook_attempts (id, account_id, environment, delivery_id, endpoint_id, attempt_number, started_at, duration_ms,
                                           status_code, response_body, error, succeeded)
             values (${newId("wha")}, ${claimed.accountId}, ${claimed.environment}, ${claimed.id}, ${claimed.endpointId}, ${claimed.attemptNumber},
                     ${startedAt.toISOString()}::timestamptz, ${result.durationMs}, ${result.statusCode ?? null}, ${result.responseBody ?? null},
                     ${error}, ${succeeded})
             on conflict (delivery_id, attempt_number) do update
               set started_at = excluded.started_at, duration_ms = excluded.duration_ms, status_code = excluded.status_code,
                   response_body = excluded.response_body, error = excluded.error, succeeded = excluded.succeeded, updated_at = now()`;
}

/** Records an attempt and moves the delivery on: delivered, scheduled again, or dead; and the endpoint's health. */
export async function recordAttempt(db: Db, claimed: ClaimedDelivery, startedAt: Date, result: PostResult, options: DeliveryOptions): Promise<Outcome["kind"] | "dead"> {
  const now = new Date();
  const outcome = classify(result, now);
  const error = outcome.kind === "succeeded" ? null : outcome.kind === "gone" ? "HTTP 410 Gone: subscription disabled" : outcome.error;
  if (outcome.kind === "succeeded") {
    // The common case, in ONE statement (atomic, one round trip): the attempt, the delivery done, the endpoint healthy.
    await db.execute(sql`
      with attempt as (${attemptUpsert(claimed, startedAt, result, true, null)}),
           delivery as (
             update webhook_deliveries
                set status = 'succeeded', delivered_at = now(), lease_until = null, lease_token = null,
                    last_status_code = ${result.statusCode ?? null}, last_error = null, updated_at = now()
              where id = ${claimed.id} and lease_token = ${claimed.leaseToken}),
           endpoint as (
             update webhook_endpoints set failing_since = null, updated_at = now()
              where id = ${claimed.endpointId} and failing_since is not null)
      select 1`);
    return "succeeded";
  }
  return inTransaction(db, async (tx) => {
    await tx.execute(attemptUpsert(claimed, startedAt, result, false, error));
    const mine = and(eq(webhookDeliveries.id, claimed.id), eq(webhookDeliveries.leaseToken, claimed.leaseToken));
    const common = { leaseUntil: null, leaseToken: null, lastStatusCode: result.statusCode ?? null, lastError: error, updatedAt: sql`now()` };

    if (outcome.kind === "gone") {
      const dead = await tx.update(webhookDeliveries).set({ ...common, status: "dead", deadAt: sql`now()` }).where(mine).returning({ id: webhookDeliveries.id });
      await raiseDeadDeliveries(tx, dead.map((d) => d.id));
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
    if (delay === null) await raiseDeadDeliveries(tx, moved.map((d) => d.id));
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
async function recordAbandoned(db: Db, claimed: ClaimedDelivery, abandoned: NonNullable<ClaimedDelivery["abandoned"]>): Promise<void> {
  await db
    .insert(webhookAttempts)
    .values({
      id: newId("wha"),
      accountId: claimed.accountId,
      environment: claimed.environment,
      deliveryId: claimed.id,
      endpointId: claimed.endpointId,
      attemptNumber: abandoned.attemptNumber,
      startedAt: abandoned.startedAt,
      durationMs: 0,
      succeeded: false,
      error: "abandoned: the worker stopped before recording this attempt; its lease expired and the delivery was retried",
    })
    .onConflictDoNothing();
}

/**
 * One endpoint's share of a claim, sent strictly one after another, oldest first. Each attempt is recorded while the
 * next is on the wire; the records themselves run one after another (two at once could deadlock on the endpoint row
 * when one of them disables it). The sequence ends once every record is written: only then is the endpoint free for
 * the next claim.
 */
export async function deliverGroup(db: Db, group: ClaimedDelivery[], options: DeliveryOptions): Promise<void> {
  let recorded: Promise<unknown> = Promise.resolve();
  const logFailure = (claimed: ClaimedDelivery) => (error: unknown) =>
    // The lease brings the delivery back; one failure to record must not strand the rest of the group.
    console.error(`webhook delivery ${claimed.id} could not be recorded`, error);
  for (const claimed of group) {
    // The lease is about to lapse (the endpoint was slow for every earlier delivery of this claim): leave this one to
    // the next claim rather than risk two workers sending it.
    if (Date.now() > claimed.sendBy) continue;
    if (claimed.abandoned) await recordAbandoned(db, claimed, claimed.abandoned).catch(logFailure(claimed));
    const { startedAt, result } = await send(claimed, options);
    recorded = recorded.then(() => recordAttempt(db, claimed, startedAt, result, options)).catch(logFailure(claimed));
    // Gone: recording it disables the subscription and turns the rest of this claim into dead letters.
    if (result.statusCode === 410) break;
  }
  await recorded;
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
