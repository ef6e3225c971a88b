import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { Environment } from "@/db/schema";

/** A delivery this worker now holds the lease of, with what it needs to send it. */
export type ClaimedDelivery = {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  accountId: string;
  environment: Environment;
  /** The number this attempt is recorded under (attempts ever made, this one included). */
  attemptNumber: number;
  /** Attempts in the current retry cycle, this one included. */
  cycleAttempts: number;
  firstAttemptAt: Date;
  leaseToken: string;
  /** Local clock time after which this worker must no longer start the attempt: the lease is about to lapse. */
  sendBy: number;
  /** Position among this claim's deliveries to the same endpoint (1 = oldest): they are sent in this order. */
  rank: number;
  url: string;
  secretCiphertext: string;
  eventCreatedAt: string;
  payloadJson: string;
  /** Set when the previous attempt's lease ran out unrecorded (its worker died mid-delivery). */
  abandoned: { attemptNumber: number; startedAt: Date } | null;
};

export type ClaimOptions = {
  /** Deliveries claimed at most per call. */
  limit: number;
  /** Deliveries to one endpoint claimed at most per call; they are then sent one after another, oldest first. */
  perEndpoint: number;
  /** Time one attempt may take (the HTTP timeout plus recording). Each claimed row's lease covers its turn. */
  attemptBudgetMs: number;
  /** Slack added to every lease. */
  leaseMarginMs: number;
  /** Only this account's deliveries (a worker dedicated to one account; tests sharing a database). */
  accountId?: string;
};

type Row = {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  account_id: string;
  environment: Environment;
  attempt_count: number;
  cycle_attempts: number;
  first_attempt_ms: string;
  lease_ms_left: string;
  rank: string;
  url: string;
  secret_ciphertext: string;
  event_created_at: string;
  payload_json: string;
  previous_lease: boolean;
  previous_attempt_count: number;
  previous_attempt_ms: string | null;
};

/**
 * Claims due deliveries in ONE statement: oldest due first, at most `perEndpoint` per endpoint, never from an endpoint
 * that another claim is still working through (that keeps one endpoint's deliveries in order and its failures in
 * their own lane), and only active endpoints. `FOR UPDATE SKIP LOCKED` lets workers claim side by side without
 * waiting on each other; the re-check in the UPDATE means a row another worker claimed a moment ago is skipped
 * rather than claimed twice. The claim itself counts the attempt, so a worker dying mid-send leaves a numbered
 * attempt behind whose lease runs out and whose retry gets the next number.
 */
export async function claimDeliveries(db: Db, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const token = randomUUID();
  const step = options.attemptBudgetMs;
  const margin = options.leaseMarginMs;
  const rows = await queryRows<Row>(
    db,
    sql`with free as (
          -- Active endpoints nobody is working through: a claimed, unrecorded delivery makes its endpoint busy.
          select e.id
            from webhook_endpoints e
           where e.status = 'active' and e.deleted_at is null
             ${options.accountId ? sql`and e.account_id = ${options.accountId}` : sql``}
             and not exists (select 1 from webhook_deliveries busy
                              where busy.endpoint_id = e.id and busy.lease_until is not null
                                and busy.lease_until >= now() and busy.status = 'pending')
        ), due as (
          -- Each free endpoint's oldest due deliveries, read from its own index range: a backlog at a busy endpoint
          -- is never walked, so a claim costs the same whatever the backlog.
          select d.id, d.endpoint_id, d.next_attempt_at
            from free f
            cross join lateral (
              select d.id, d.endpoint_id, d.next_attempt_at
                from webhook_deliveries d
               where d.endpoint_id = f.id and d.status = 'pending' and d.next_attempt_at <= now()
                 and (d.lease_until is null or d.lease_until < now())
               order by d.next_attempt_at, d.id
               limit ${options.perEndpoint}
            ) d
           order by d.next_attempt_at, d.id
           limit ${options.limit}
        ), ranked as (
          select id, next_attempt_at, row_number() over (partition by endpoint_id order by next_attempt_at, id) as rank from due
        ), picked as (
          select d.id, r.rank, d.lease_until is not null as previous_lease, d.attempt_count as previous_attempt_count, d.last_attempt_at as previous_attempt_at
            from webhook_deliveries d
            join ranked r on r.id = d.id
           where r.rank <= ${options.perEndpoint}
           order by r.next_attempt_at, d.id
           limit ${options.limit}
             for update of d skip locked
        )
        update webhook_deliveries d
           set lease_until = now() + make_interval(secs => (${margin}::float8 + p.rank * ${step}::float8) / 1000),
               lease_token = ${token},
               attempt_count = d.attempt_count + 1,
               cycle_attempts = d.cycle_attempts + 1,
               first_attempt_at = coalesce(d.first_attempt_at, now()),
               last_attempt_at = now(),
               updated_at = now()
          from picked p, webhook_endpoints e, outbox_events o
         where d.id = p.id and e.id = d.endpoint_id and o.id = d.event_id
           and d.status = 'pending' and (d.lease_until is null or d.lease_until < now())
        returning d.id, d.endpoint_id, d.event_id, d.event_type, d.account_id, d.environment,
                  d.attempt_count, d.cycle_attempts,
                  (extract(epoch from d.first_attempt_at) * 1000)::float8::text as first_attempt_ms,
                  (extract(epoch from d.lease_until - now()) * 1000)::float8::text as lease_ms_left,
                  p.rank::text as rank, e.url, e.secret_ciphertext,
                  to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as event_created_at,
                  o.payload::text as payload_json,
                  p.previous_lease, p.previous_attempt_count,
                  (extract(epoch from p.previous_attempt_at) * 1000)::float8::text as previous_attempt_ms`,
  );
  const now = Date.now();
  return rows
    .map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
      eventType: row.event_type,
      accountId: row.account_id,
      environment: row.environment,
      attemptNumber: Number(row.attempt_count),
      cycleAttempts: Number(row.cycle_attempts),
      firstAttemptAt: new Date(Number(row.first_attempt_ms)),
      leaseToken: token,
      // Stop short of the lease's end by the margin: an attempt started later could outlive it.
      sendBy: now + Number(row.lease_ms_left) - step - margin / 2,
      rank: Number(row.rank),
      url: row.url,
      secretCiphertext: row.secret_ciphertext,
      eventCreatedAt: row.event_created_at,
      payloadJson: row.payload_json,
      abandoned:
        row.previous_lease && row.previous_attempt_ms !== null
          ? { attemptNumber: Number(row.previous_attempt_count), startedAt: new Date(Number(row.previous_attempt_ms)) }
          : null,
    }))
    .sort((a, b) => (a.endpointId === b.endpointId ? a.rank - b.rank : a.endpointId < b.endpointId ? -1 : 1));
}
