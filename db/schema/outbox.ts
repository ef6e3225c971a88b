import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { tenancy, timestamps } from "./columns";

/**
 * Transactional outbox: a row per thing the outside world must be told (partner webhooks, channel pushes),
 * written in the same transaction as the change it reports. `payload` is the resource as the API returns it,
 * frozen at the time of the event.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: text().primaryKey(),
    ...tenancy,
    type: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [index("outbox_events_account_id_environment_created_at_idx").on(t.accountId, t.environment, t.createdAt)],
);

export type OutboxEvent = typeof outboxEvents.$inferSelect;
export type NewOutboxEvent = typeof outboxEvents.$inferInsert;
