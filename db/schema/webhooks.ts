import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";
import { outboxEvents } from "./outbox";

export const webhookEndpointStatusEnum = pgEnum("webhook_endpoint_status", ["active", "disabled"]);

/** A partner's subscription: where to POST which event types. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text().primaryKey(),
    ...tenancy,
    url: text().notNull(),
    events: text().array().notNull(),
    /** The signing secret ("whsec_…"), AES-256-GCM encrypted with SECRETS_KEY: shown once at creation, never again. */
    secretCiphertext: text().notNull(),
    status: webhookEndpointStatusEnum().notNull().default("active"),
    /** Why it stopped receiving (410 Gone, failing for 24 h): shown in the dashboard until ops re-enables it. */
    disabledReason: text(),
    disabledAt: timestamp({ withTimezone: true }),
    /** Start of the current run of failed attempts; cleared by any success. 24 h of failures disables the endpoint. */
    failingSince: timestamp({ withTimezone: true }),
    /** Soft delete: the delivery log keeps its history, the API answers 404. */
    deletedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // The fan-out in emitEvent looks here inside every domain transaction: it must stay an index probe.
    index("webhook_endpoints_account_id_environment_idx")
      .on(t.accountId, t.environment)
      .where(sql`${t.status} = 'active' and ${t.deletedAt} is null`),
  ],
);

export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", ["pending", "succeeded", "dead", "cancelled"]);

/**
 * One event owed to one endpoint. Written in the transaction that emits the event; the worker claims due rows with
 * FOR UPDATE SKIP LOCKED and a lease, so an attempt in flight when a worker dies is retried once the lease expires.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text().primaryKey(),
    ...tenancy,
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text()
      .notNull()
      .references(() => outboxEvents.id),
    eventType: text().notNull(),
    status: webhookDeliveryStatusEnum().notNull().default("pending"),
    /** Attempts ever made: numbers the rows of webhook_attempts. */
    attemptCount: integer().notNull().default(0),
    /** Attempts since the delivery was created or last replayed: the position in the retry schedule. */
    cycleAttempts: integer().notNull().default(0),
    /** First attempt of the current cycle: retries stop 24 h after it. */
    firstAttemptAt: timestamp({ withTimezone: true }),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp({ withTimezone: true }),
    /** Who holds the lease: a worker whose lease expired must not record over the worker that took it over. */
    leaseToken: text(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    lastStatusCode: integer(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    deadAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // The worker's claim: due pending rows, oldest first. Partial, so finished deliveries cost it nothing.
    index("webhook_deliveries_next_attempt_at_id_idx")
      .on(t.nextAttemptAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_id_status_created_at_idx").on(t.endpointId, t.status, t.createdAt),
    // The claim walks each free endpoint's due deliveries oldest first, so a busy endpoint's backlog is never read.
    index("webhook_deliveries_endpoint_id_next_attempt_at_id_idx")
      .on(t.endpointId, t.nextAttemptAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    // Deliveries under a lease (claimed, not yet recorded): few at any time. The claim asks it, once per candidate,
    // whether the candidate's endpoint is already being worked on.
    index("webhook_deliveries_endpoint_id_lease_until_idx")
      .on(t.endpointId, t.leaseUntil)
      .where(sql`${t.leaseUntil} is not null`),
    uniqueIndex("webhook_deliveries_event_id_endpoint_id_idx").on(t.eventId, t.endpointId),
    index("webhook_deliveries_status_dead_at_idx")
      .on(t.status, t.deadAt)
      .where(sql`${t.status} = 'dead'`),
  ],
);

/** Every HTTP attempt, successful or not: the delivery log and the endpoint health figures are read from here. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: text().primaryKey(),
    ...tenancy,
    deliveryId: text()
      .notNull()
      .references(() => webhookDeliveries.id),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id),
    attemptNumber: integer().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    durationMs: integer().notNull(),
    /** Null when no HTTP response came back (timeout, refused, reset, address not allowed). */
    statusCode: integer(),
    /** The first 2 KB of the receiver's answer. */
    responseBody: text(),
    error: text(),
    succeeded: boolean().notNull(),
    ...timestamps,
  },
  (t) => [
    // An attempt number is recorded once: the database refuses a second worker's record of the same attempt.
    uniqueIndex("webhook_attempts_delivery_id_attempt_number_idx").on(t.deliveryId, t.attemptNumber),
    index("webhook_attempts_endpoint_id_started_at_idx").on(t.endpointId, t.startedAt),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type NewWebhookEndpoint = typeof webhookEndpoints.$inferInsert;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = typeof webhookDeliveries.$inferInsert;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type NewWebhookAttempt = typeof webhookAttempts.$inferInsert;
