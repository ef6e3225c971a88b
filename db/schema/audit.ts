import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { environmentEnum } from "./columns";

/**
 * Every change made through the dashboard, the CLIs or the API, one row each, written in the transaction of the
 * change: who, when, what entity, what action, before and after. Append-only: lib/audit writes rows and nothing
 * in the product edits or deletes them, and a trigger (migration 0013_audit_log) refuses UPDATE, DELETE and TRUNCATE for any
 * writer that tries. No updated_at: a row never changes.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text().primaryKey(),
    // now() is the transaction start: the rows of one change share it, and the id orders them.
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A dashboard user's email, or "cli:<os user>" for a command. */
    actor: text().notNull(),
    /** The actor's dashboard role when it acted; none for a command. */
    actorRole: text(),
    source: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    action: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    /** The tenant the entity belongs to; none for hub-wide settings (status mappings, warehouses, users). */
    accountId: text(),
    environment: environmentEnum(),
  },
  (t) => [
    check("audit_log_source", sql`${t.source} in ('dashboard', 'cli', 'api')`),
    // The /audit page pages newest first by (occurred_at, id), alone or within one actor or entity type; an
    // entity's own history reads by (entity_type, entity_id).
    index("audit_log_occurred_at_id_idx").on(t.occurredAt, t.id),
    index("audit_log_actor_occurred_at_idx").on(t.actor, t.occurredAt, t.id),
    index("audit_log_entity_type_occurred_at_idx").on(t.entityType, t.occurredAt, t.id),
    index("audit_log_entity_idx").on(t.entityType, t.entityId, t.occurredAt, t.id),
  ],
);

export type AuditLogRow = typeof auditLog.$inferSelect;
export type NewAuditLogRow = typeof auditLog.$inferInsert;
