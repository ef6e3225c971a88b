import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { accounts, outboxEvents, webhookAttempts, webhookDeliveries, webhookEndpoints, type Environment } from "@/db/schema";
import type { DashboardRole } from "@/lib/auth/dashboard-users";

/** What the dashboard reads about webhooks. Operations staff see every account; times are ISO strings. */

/** Health figures are computed over this window of attempts. */
export const HEALTH_WINDOW_HOURS = 24;

const iso = (column: SQL | unknown) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type EndpointHealth = {
  id: string;
  accountId: string;
  accountName: string;
  environment: Environment;
  url: string;
  events: string[];
  status: "active" | "disabled";
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  createdAt: string;
  /** Attempts in the window, and how many succeeded (null rate when there were none). */
  attempts: number;
  successes: number;
  successRate: number | null;
  /** Response latency of attempts that got an HTTP answer, in ms. */
  p50Ms: number | null;
  p95Ms: number | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  pending: number;
  dead: number;
};

type HealthRow = Omit<EndpointHealth, "successRate" | "p50Ms" | "p95Ms" | "attempts" | "successes" | "pending" | "dead"> & {
  attempts: number | string;
  successes: number | string;
  p50: number | string | null;
  p95: number | string | null;
  pending: number | string;
  dead: number | string;
};

/** Every endpoint (not deleted) with its health: success rate and latency over the window, last error, backlog. */
export async function listEndpointHealth(db: DbOrTx, filter: { endpointId?: string } = {}): Promise<EndpointHealth[]> {
  const rows = await queryRows<HealthRow>(
    db,
    sql`select e.id, e.account_id as "accountId", coalesce(a.name, e.account_id) as "accountName", e.environment, e.url, e.events,
               e.status, e.disabled_reason as "disabledReason", ${iso(sql`e.disabled_at`)} as "disabledAt",
               ${iso(sql`e.failing_since`)} as "failingSince", ${iso(sql`e.created_at`)} as "createdAt",
               coalesce(s.attempts, 0) as attempts, coalesce(s.successes, 0) as successes, s.p50, s.p95,
               ${iso(sql`s.last_attempt_at`)} as "lastAttemptAt",
               f.error as "lastError", ${iso(sql`f.started_at`)} as "lastErrorAt",
               coalesce(q.pending, 0) as pending, coalesce(q.dead, 0) as dead
          from webhook_endpoints e
          left join accounts a on a.id = e.account_id
          left join lateral (
            select count(*)::int as attempts, (count(*) filter (where t.succeeded))::int as successes,
                   (percentile_cont(0.5) within group (order by t.duration_ms) filter (where t.status_code is not null))::float8 as p50,
                   (percentile_cont(0.95) within group (order by t.duration_ms) filter (where t.status_code is not null))::float8 as p95,
                   max(t.started_at) as last_attempt_at
              from webhook_attempts t
             where t.endpoint_id = e.id and t.started_at > now() - make_interval(hours => ${HEALTH_WINDOW_HOURS})
          ) s on true
          left join lateral (
            select t.error, t.started_at from webhook_attempts t
             where t.endpoint_id = e.id and not t.succeeded order by t.started_at desc limit 1
          ) f on true
          left join lateral (
            select (count(*) filter (where d.status = 'pending'))::int as pending, (count(*) filter (where d.status = 'dead'))::int as dead
              from webhook_deliveries d where d.endpoint_id = e.id and d.status in ('pending', 'dead')
          ) q on true
         where e.deleted_at is null ${filter.endpointId ? sql`and e.id = ${filter.endpointId}` : sql``}
         order by e.status desc, coalesce(a.name, e.account_id), e.created_at`,
  );
  return rows.map((row) => {
    const attempts = Number(row.attempts);
    const successes = Number(row.successes);
    return {
      ...row,
      attempts,
      successes,
      successRate: attempts ? successes / attempts : null,
      p50Ms: row.p50 === null ? null : Math.round(Number(row.p50)),
      p95Ms: row.p95 === null ? null : Math.round(Number(row.p95)),
      pending: Number(row.pending),
      dead: Number(row.dead),
    };
  });
}

export type DeliveryRow = {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  accountName: string;
  environment: Environment;
  status: "pending" | "succeeded" | "dead" | "cancelled";
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
};

const deliveryColumns = {
  id: webhookDeliveries.id,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  endpointId: webhookDeliveries.endpointId,
  url: webhookEndpoints.url,
  accountName: sql<string>`coalesce(${accounts.name}, ${webhookDeliveries.accountId})`,
  environment: webhookDeliveries.environment,
  status: webhookDeliveries.status,
  attemptCount: webhookDeliveries.attemptCount,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  nextAttemptAt: iso(webhookDeliveries.nextAttemptAt),
  createdAt: iso(webhookDeliveries.createdAt),
  deliveredAt: iso(webhookDeliveries.deliveredAt),
  deadAt: iso(webhookDeliveries.deadAt),
};

function deliveries(db: DbOrTx) {
  return db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .leftJoin(accounts, eq(accounts.id, webhookDeliveries.accountId));
}

/** Dead letters, most recent first; of one endpoint when given. */
export async function listDeadLetters(db: DbOrTx, filter: { endpointId?: string; limit?: number } = {}): Promise<DeliveryRow[]> {
  return deliveries(db)
    .where(and(eq(webhookDeliveries.status, "dead"), filter.endpointId ? eq(webhookDeliveries.endpointId, filter.endpointId) : undefined))
    .orderBy(desc(webhookDeliveries.deadAt), desc(webhookDeliveries.id))
    .limit(filter.limit ?? 100);
}

/** An endpoint's latest deliveries, newest first. */
export async function listRecentDeliveries(db: DbOrTx, endpointId: string, limit = 50): Promise<DeliveryRow[]> {
  return deliveries(db).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(limit);
}

export type AttemptRow = {
  attemptNumber: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  succeeded: boolean;
  error: string | null;
  responseBody: string | null;
};

export type EventLog = {
  id: string;
  type: string;
  accountName: string;
  environment: Environment;
  createdAt: string;
  payload: Record<string, unknown>;
  deliveries: (DeliveryRow & { attempts: AttemptRow[] })[];
};

/** One event: what it carried, and every delivery of it with each attempt. Null when there is no such event. */
export async function getEventLog(db: DbOrTx, eventId: string): Promise<EventLog | null> {
  const [event] = await db
    .select({
      id: outboxEvents.id,
      type: outboxEvents.type,
      accountName: sql<string>`coalesce(${accounts.name}, ${outboxEvents.accountId})`,
      environment: outboxEvents.environment,
      createdAt: iso(outboxEvents.createdAt),
      payload: outboxEvents.payload,
    })
    .from(outboxEvents)
    .leftJoin(accounts, eq(accounts.id, outboxEvents.accountId))
    .where(eq(outboxEvents.id, eventId));
  if (!event) return null;
  const rows = await deliveries(db).where(eq(webhookDeliveries.eventId, eventId)).orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id));
  const attempts = rows.length
    ? await db
        .select({
          deliveryId: webhookAttempts.deliveryId,
          attemptNumber: webhookAttempts.attemptNumber,
          startedAt: iso(webhookAttempts.startedAt),
          durationMs: webhookAttempts.durationMs,
          statusCode: webhookAttempts.statusCode,
          succeeded: webhookAttempts.succeeded,
          error: webhookAttempts.error,
          responseBody: webhookAttempts.responseBody,
        })
        .from(webhookAttempts)
        .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookAttempts.deliveryId))
        .where(eq(webhookDeliveries.eventId, eventId))
        .orderBy(asc(webhookAttempts.attemptNumber))
    : [];
  return {
    ...event,
    deliveries: rows.map((row) => ({
      ...row,
      attempts: attempts
        .filter((a) => a.deliveryId === row.id)
        .map((a) => ({ attemptNumber: a.attemptNumber, startedAt: a.startedAt, durationMs: a.durationMs, statusCode: a.statusCode, succeeded: a.succeeded, error: a.error, responseBody: a.responseBody })),
    })),
  };
}

/** Who may act on webhooks in the dashboard (everyone signed in may look). */
export const WEBHOOK_OPS_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];
