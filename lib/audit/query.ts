import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { auditLog, type AuditLogRow } from "@/db/schema";

/** What /audit filters by, as read from its query string; `errors` says which filter could not be read and why. */
export type AuditFilter = {
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  /** Calendar days (YYYY-MM-DD) in the dashboard's zone, both included. */
  from?: string;
  to?: string;
};

export type AuditCursor = { ts: string; id: string };

export type ParsedAuditQuery = { filter: AuditFilter; cursor?: AuditCursor; errors: Partial<Record<keyof AuditFilter | "after", string>> };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([A-Za-z0-9_]{1,100})$/;

/** A calendar day that exists (no 30 February), in the years PostgreSQL and people use. */
function realDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2000 && year <= 9999 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const one = (value: string | string[] | null | undefined) => (Array.isArray(value) ? value[0] : (value ?? undefined))?.trim() || undefined;

/** The page's and the export's query string, read the same way: an unreadable filter is reported, never guessed. */
export function parseAuditQuery(params: Record<string, string | string[] | undefined> | URLSearchParams): ParsedAuditQuery {
  const get = (name: string) => one(params instanceof URLSearchParams ? params.get(name) : params[name]);
  const errors: ParsedAuditQuery["errors"] = {};
  const filter: AuditFilter = {};
  for (const [key, name] of [["actor", "actor"], ["entityType", "entity"], ["entityId", "entity_id"], ["action", "action"]] as const) {
    const value = get(name);
    if (value && value.length > 200) errors[key] = "At most 200 characters.";
    else if (value) filter[key] = value;
  }
  for (const key of ["from", "to"] as const) {
    const value = get(key);
    if (!value) continue;
    if (realDay(value)) filter[key] = value;
    else errors[key] = DAY.test(value) ? `${value} is not a day of the calendar.` : "A date such as 2026-12-07.";
  }
  if (filter.from && filter.to && filter.from > filter.to) errors.to = "The end date is before the start date.";
  const after = get("after");
  let cursor: AuditCursor | undefined;
  if (after) {
    const m = CURSOR.exec(after);
    if (m) cursor = { ts: m[1], id: m[2] };
    else errors.after = "This page link is out of date; showing the newest changes.";
  }
  return { filter, cursor, errors };
}

export type AuditPage = { rows: AuditLogRow[]; next: AuditCursor | null };

/**
 * One page of the audit log, newest first, by keyset: (occurred_at, id) below the cursor, on the index that matches
 * the filters (occurred_at alone, actor, entity type, or entity). The day bounds are days in the dashboard's zone.
 */
export async function listAudit(db: DbOrTx, filter: AuditFilter, options: AuditPageOptions): Promise<AuditPage> {
  const limit = options.limit ?? 50;
  const rows = await auditPageQuery(db, filter, options);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { ts: await exactInstant(db, last.id), id: last.id } : null };
}

export type AuditPageOptions = { cursor?: AuditCursor; limit?: number; timeZone: string };

/** The statement behind a page (one row more than the page, to tell whether another follows): one range, no OR. */
export function auditPageQuery(db: DbOrTx, filter: AuditFilter, options: AuditPageOptions) {
  const after = options.cursor ? sql`(${auditLog.occurredAt}, ${auditLog.id}) < (${options.cursor.ts}::timestamptz, ${options.cursor.id})` : undefined;
  return db
    .select()
    .from(auditLog)
    .where(and(...auditConditions(filter, options.timeZone), after))
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit((options.limit ?? 50) + 1);
}

/** Every row matching the filters, newest first, a batch at a time (keyset), for the CSV export. */
export async function* allAudit(db: DbOrTx, filter: AuditFilter, timeZone: string, batch = 500): AsyncGenerator<AuditLogRow[]> {
  let cursor: AuditCursor | undefined;
  for (;;) {
    const page = await listAudit(db, filter, { cursor, limit: batch, timeZone });
    if (page.rows.length) yield page.rows;
    if (!page.next) return;
    cursor = page.next;
  }
}

function auditConditions(filter: AuditFilter, timeZone: string): SQL[] {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(eq(auditLog.actor, filter.actor));
  if (filter.entityType) conditions.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) conditions.push(eq(auditLog.entityId, filter.entityId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(sql`${auditLog.occurredAt} >= (${filter.from}::date)::timestamp at time zone ${timeZone}`);
  if (filter.to) conditions.push(sql`${auditLog.occurredAt} < (${filter.to}::date + 1)::timestamp at time zone ${timeZone}`);
  return conditions;
}

/** The row's time with its microseconds, which a JS Date would cut to milliseconds and so skip or repeat rows. */
async function exactInstant(db: DbOrTx, id: string): Promise<string> {
  const [row] = await queryRows<{ ts: string }>(db, sql`select to_char(${auditLog.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts from ${auditLog} where ${auditLog.id} = ${id}`);
  return row.ts;
}

/** A cursor as the page's "Older" link carries it. */
export function cursorParam(cursor: AuditCursor): string {
  return `${cursor.ts}~${cursor.id}`;
}

/** The actors and actions seen lately, to offer in the filters (from the newest rows, on the time index). */
export async function recentAuditChoices(db: DbOrTx): Promise<{ actors: string[]; actions: string[] }> {
  const rows = await db.select({ actor: auditLog.actor, action: auditLog.action }).from(auditLog).orderBy(desc(auditLog.occurredAt), desc(auditLog.id)).limit(500);
  return { actors: [...new Set(rows.map((r) => r.actor))].sort(), actions: [...new Set(rows.map((r) => r.action))].sort() };
}
