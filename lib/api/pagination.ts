import { createHmac, timingSafeEqual } from "node:crypto";
import { asc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement, type Params } from "@/db/statement";
import { embeddedSecret } from "@/lib/auth/embedded-secret";
import type { Tenant } from "@/lib/context";
import { ConfigurationError, env, sharedSecretsRequired } from "@/lib/env";
import { z, isoDateTime } from "./zod";
import { ApiError } from "./errors";

export const MAX_LIMIT = 200;

/** The query parameters every list accepts; resource lists that change add `updated_since`. */
export const listParams = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
  cursor: z.string().max(512).optional(),
};
export const changeListParams = { ...listParams, updated_since: isoDateTime.optional() };

export type Pagination = { next_cursor: string | null; has_more: boolean };

let cachedCursorSecret: string | undefined;

/**
 * The key cursors are signed with. There is no built-in one (anyone who read the source could forge cursors): the
 * embedded demo generates one into DATA_DIR, and with DATABASE_URL CURSOR_SECRET is required, the same on every
 * instance so a cursor from one works on another.
 */
export function cursorSecret(): string {
  if (cachedCursorSecret) return cachedCursorSecret;
  const configured = env().CURSOR_SECRET;
  if (!configured && sharedSecretsRequired()) {
    throw new ConfigurationError("CURSOR_SECRET", "CURSOR_SECRET is not set: with DATABASE_URL every instance must sign cursors with the same secret (openssl rand -base64 32).");
  }
  cachedCursorSecret = configured || embeddedSecret("cursor-secret");
  return cachedCursorSecret;
}

function sign(payload: string): Buffer {
  return Buffer.from(createHmac("sha256", cursorSecret()).update(payload).digest("base64url").slice(0, 22));
}

/** Position after a row: its updated_at with microseconds (a JS Date would truncate to ms) and its id. */
export type CursorPosition = { ts: string; id: string };

export function encodeCursor(position: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify([position.ts, position.id])).toString("base64url");
  return `${payload}.${sign(payload).toString()}`;
}

/** An updated_at as cursorTimestamp writes it, and only an instant PostgreSQL can read (no 0000-01-01, no 02-30). */
const cursorInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .refine((ts) => {
    // A date that does not exist comes back from Date as another one (or none); PostgreSQL has no year 0.
    const instant = new Date(`${ts.slice(0, 19)}Z`);
    return !ts.startsWith("0000") && !Number.isNaN(instant.getTime()) && instant.toISOString().slice(0, 19) === ts.slice(0, 19);
  });
/** Ids are ours: a prefix and a ULID, or a readable reference id (wh_test_syd_1). */
const cursorRowId = z.string().regex(/^[A-Za-z0-9_]{1,100}$/);
/** Changes lists page by (updated_at, id); lists ordered by id alone carry an empty timestamp. */
const changesCursor = z.tuple([cursorInstant, cursorRowId]);
const idCursor = z.tuple([z.literal(""), cursorRowId]);

function invalidCursor(): ApiError {
  return new ApiError("invalid_cursor", "The cursor is not valid; pass next_cursor back exactly as received.", "cursor");
}

/**
 * The position a cursor holds, when its signature is ours AND its payload is one this kind of list writes. A valid
 * signature alone is not enough: a payload signed under a leaked or older secret, or a cursor of another kind of
 * list, must be a 400 invalid_cursor, never a query that fails.
 */
function readCursor(cursor: string, shape: typeof changesCursor | typeof idCursor): CursorPosition {
  const [payload, mac, ...rest] = cursor.split(".");
  if (!payload || !mac || rest.length) throw invalidCursor();
  const given = Buffer.from(mac);
  const expected = sign(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const parsed = shape.safeParse(decoded);
  if (!parsed.success) throw invalidCursor();
  const [ts, id] = parsed.data;
  return { ts, id };
}

/** A changes list's cursor: the (updated_at, id) of the last row of the page before. */
export function decodeCursor(cursor: string): CursorPosition {
  return readCursor(cursor, changesCursor);
}

/** Simple cursor for lists ordered by id only (reference data, webhooks, an order's events). */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  return cursor ? readCursor(cursor, idCursor).id : undefined;
}

/**
 * The transactions that hold the horizon back: other client sessions with a transaction open in this database.
 * readHorizon and feedHoldBack read the same set, so the health page names exactly what holds the feeds.
 */
const openClientTransactions = sql`pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null
           and backend_type = 'client backend'`;

/**
 * The commit-safe horizon, as a scalar query. A transaction stamps its rows with now() = its start time, so a
 * transaction that is still running may later commit rows older than rows already visible. Rows at or after the
 * start of the oldest transaction still in flight are therefore held back until it ends. Read BEFORE the page
 * query, in an earlier statement: anything committed in between is then visible to the page query's newer
 * snapshot. Any earlier statement will do; the API reads it with the request's authentication (authenticateKey).
 * Only client backends write rows; autovacuum and other background workers would only hold the horizon back.
 */
export const horizonQuery = sql`select to_char(least(coalesce(min(xact_start), now()), now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                                   from ${openClientTransactions}`;

const horizonStatement = statement<Record<string, never>, { horizon: string }>(() => sql`select (${horizonQuery}) as horizon`);

/** The commit-safe horizon (horizonQuery), read now in a statement of its own. */
export async function readHorizon(db: DbOrTx): Promise<string> {
  const [row] = await horizonStatement(db, {});
  return row.horizon;
}

/** Whose changes a list reads, and the horizon read with the request's authentication, if it was (apiRoute's `feed`). */
export type FeedReader = Tenant & { horizon?: string };

/** A list's horizon: the one read with the request's authentication (or COMMITTED_PRESENT for a lookup), or else read now. */
export async function horizonFor(db: DbOrTx, ctx: FeedReader): Promise<string> {
  return ctx.horizon ?? readHorizon(db);
}

/** The horizon of a lookup: no row is held back, the page shows everything committed. */
export const COMMITTED_PRESENT = "infinity";

/** Query parameters that name one thing (a SKU, an order, a return, an inbound shipment). */
const LOOKUP_PARAMS = ["sku", "reference", "order_number", "order_id", "rma"] as const;

/**
 * Feeds and lookups (API contract §1), the one rule every list route follows (apiRoute's `feed`):
 *
 * - A read that names one thing (a LOOKUP_PARAMS filter) and has no `updated_since` is a LOOKUP: it shows the
 *   committed present, cursor pages included. Holding it back would make an existing SKU or order look unknown
 *   whenever any unrelated transaction is open, and would cut a paged lookup short at the horizon.
 * - Every other list read is a FEED and pays the commit-safe horizon: `updated_since` polls, and also a plain first
 *   page (no filter, or only status / warehouse / reason) and its cursor pages, because that is how a poller
 *   starts, and its first cursor must not pass a row still in flight. A feed may lag by the longest open transaction.
 *
 * To follow one thing's changes, a client adds `updated_since` to its filter: that read is a feed again.
 */
export function listRead(query: URLSearchParams): "feed" | "lookup" {
  if (query.get("updated_since")) return "feed";
  return LOOKUP_PARAMS.some((name) => query.get(name)) ? "lookup" : "feed";
}

/** The session that holds the partner feeds back: the oldest client transaction still open in the database. */
export type FeedHoldBack = {
  /** How far behind now the feeds' horizon is (0 when no transaction is open). */
  seconds: number;
  holder: { pid: number; application: string; state: string; since: string; query: string } | null;
};

/**
 * What readHorizon's guarantee costs right now. A transaction left open (a client idle in a transaction, a stuck
 * migration) holds every changes list back to its start; partners then see nothing new, which is correct but
 * would look like silence. The health page shows it with the session to end, so it never stalls unnoticed.
 */
export async function feedHoldBack(db: DbOrTx): Promise<FeedHoldBack> {
  const [row] = await queryRows<{ pid: number | null; application: string | null; state: string | null; since: string | null; query: string | null; seconds: number | null }>(
    db,
    sql`select pid, application_name as application, state, left(query, 200) as query,
               to_char(xact_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
               extract(epoch from now() - xact_start)::float8 as seconds
          from ${openClientTransactions}
         order by xact_start
         limit 1`,
  );
  if (!row || row.pid === null) return { seconds: 0, holder: null };
  return {
    seconds: Math.max(0, Number(row.seconds ?? 0)),
    holder: { pid: Number(row.pid), application: row.application ?? "", state: row.state ?? "", since: row.since ?? "", query: row.query ?? "" },
  };
}

/** updated_at as text with microseconds, for the cursor (PERF-NOTES trap 2). */
export function cursorTimestamp(column: AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The pagination block of a page whose last row is at `last`; has_more only when a row beyond it was fetched. */
export function pageInfo(hasMore: boolean, last: CursorPosition | undefined): Pagination {
  return { next_cursor: hasMore && last ? encodeCursor(last) : null, has_more: hasMore };
}

/** Cuts a fetched page of limit+1 rows and builds the pagination block. */
export function paginate<T>(rows: T[], limit: number, position: (row: T) => CursorPosition): { page: T[]; pagination: Pagination } {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  return { page, pagination: pageInfo(hasMore, page.length ? position(page[page.length - 1]) : undefined) };
}

/** A tenant-owned table whose rows a changes list pages over. */
type ChangesTable = PgTable & { id: AnyPgColumn; accountId: AnyPgColumn; environment: AnyPgColumn; updatedAt: AnyPgColumn };

type ChangesQuery = { limit: number; cursor?: string; updatedSince?: string };

/** What changesWhere binds: the tenant, the commit-safe horizon, and where the page starts (null: not given). */
export type ChangesValues = Tenant & {
  horizon: string;
  updatedSince: string | null;
  cursorTs: string | null;
  cursorId: string | null;
};

export function changesValues(tenant: Tenant, query: Omit<ChangesQuery, "limit">, horizon: string): ChangesValues {
  const position = query.cursor ? decodeCursor(query.cursor) : undefined;
  return {
    accountId: tenant.accountId,
    environment: tenant.environment,
    horizon,
    updatedSince: query.updatedSince ?? null,
    cursorTs: position?.ts ?? null,
    cursorId: position?.id ?? null,
  };
}

/**
 * The WHERE of a changes list page: the tenant's rows after the cursor, since updated_since and before the
 * commit-safe horizon, narrowed by the caller's filters. Every changes list pages with this and changesOrder,
 * so none can drift from the completeness promise.
 *
 * The page starts after ONE row comparison on (updated_at, id), an index range scan (PERF-NOTES trap 1): after the
 * cursor, or at updated_since (every id sorts after ''), whichever is later. Two separate lower bounds would not
 * do: the index scan starts at the row comparison's position and walks every row up to updated_since. The text is
 * the same whether a cursor or updated_since is given, so a statement holding it is rendered once.
 */
export function changesWhere(table: ChangesTable, p: Params<ChangesValues>, filters: (SQL | undefined)[] = []): SQL {
  const sinceIsLater = sql`${p.cursorTs}::timestamptz is null or ${p.updatedSince}::timestamptz > ${p.cursorTs}::timestamptz`;
  const conditions = [
    sql`${table.accountId} = ${p.accountId}`,
    sql`${table.environment} = ${p.environment}::environment`,
    sql`${table.updatedAt} < ${p.horizon}::timestamptz`,
    sql`(${table.updatedAt}, ${table.id}) > (case when ${sinceIsLater} then coalesce(${p.updatedSince}::timestamptz, '-infinity') else ${p.cursorTs}::timestamptz end,
                                           case when ${sinceIsLater} then '' else ${p.cursorId}::text end)`,
    ...filters.filter((f): f is SQL => f !== undefined),
  ];
  return sql`(${sql.join(conditions, sql`) and (`)})`;
}

/** The ORDER BY of a changes list: the cursor's row comparison, so a poller that follows next_cursor sees every row once. */
export function changesOrder(table: ChangesTable): SQL[] {
  return [asc(table.updatedAt), asc(table.id)];
}

/**
 * One page of a tenant's changes list (GET /v1/inventory, /v1/inbound-shipments, /v1/returns; GET /v1/shipments
 * pages its stored documents with the same changesWhere and changesOrder), rows by updated_at then id.
 */
export async function changesPage<T extends ChangesTable>(
  db: DbOrTx,
  table: T,
  tenant: FeedReader,
  query: ChangesQuery,
  filters: (SQL | undefined)[] = [],
): Promise<{ rows: T["$inferSelect"][]; pagination: Pagination }> {
  const horizon = await horizonFor(db, tenant);
  // drizzle cannot type a select from a generic table; the rows get their table's type back below.
  const from: PgTable = table;
  const fetched = await db
    .select({ row: from, ts: cursorTimestamp(table.updatedAt) })
    .from(from)
    .where(changesWhere(table, changesValues(tenant, query, horizon), filters))
    .orderBy(...changesOrder(table))
    .limit(query.limit + 1);
  const { page, pagination } = paginate(fetched, query.limit, (r) => ({ ts: r.ts, id: String(r.row.id) }));
  return { rows: page.map((r) => r.row as T["$inferSelect"]), pagination };
}
