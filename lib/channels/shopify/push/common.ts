import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { shopConnections, shopifyFulfillmentPushes, shopifyInventoryPushes, shopifySyncCursors, type ShopConnection } from "@/db/schema";
import { readHorizon } from "@/lib/api/pagination";
import type { DomainContext } from "@/lib/context";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { loadShopCredentials } from "@/lib/channels/shopify/connections";
import { ShopifyAdminClient } from "@/lib/channels/shopify/admin/client";
import type { CostLimiter } from "@/lib/channels/shopify/admin/limiter";

/** The context of the push-back's own writes (timeline events, exceptions). */
export function pushContext(tenant: { accountId: string; environment: DomainContext["environment"] }): DomainContext {
  return { accountId: tenant.accountId, environment: tenant.environment, source: "shopify", actor: "shopify-push" };
}

/**
 * Which shops a round works on: every active connection (the hub's workers), or one account's (a worker dedicated
 * to a large account; tests sharing a database with other test files' shops, whose fake Shopify servers and retry
 * settings live in another process).
 */
export type PushScope = { accountId?: string };

export async function activeConnections(db: DbOrTx, scope: PushScope = {}): Promise<ShopConnection[]> {
  return db
    .select()
    .from(shopConnections)
    .where(and(eq(shopConnections.active, true), scope.accountId ? eq(shopConnections.accountId, scope.accountId) : undefined));
}

/** A claim's scope: the round's, less the shops whose lanes this worker is still running. */
export type ClaimScope = PushScope & { excludeConnectionIds?: string[] };

/** The scope as conditions on a push table's account_id and connection_id, for the raw claim queries. */
export function scopeCondition(scope: ClaimScope): SQL {
  const conditions: SQL[] = [];
  if (scope.accountId) conditions.push(sql`and account_id = ${scope.accountId}`);
  if (scope.excludeConnectionIds?.length) {
    conditions.push(sql`and connection_id not in (${sql.join(scope.excludeConnectionIds.map((id) => sql`${id}`), sql`, `)})`);
  }
  return conditions.length ? sql.join(conditions, sql` `) : sql``;
}

/**
 * Runs a per-connection step on each active connection in scope; one shop's failure is logged and does not stop the
 * others. The commit-safe horizon is read once for the round, before any shop's scan (so it is safe for all of
 * them): the database's activity is read once per round, not once per shop.
 */
export async function forEachConnection(db: DbOrTx, scope: PushScope, step: (connection: ShopConnection, horizon: string) => Promise<number>): Promise<number> {
  const connections = await activeConnections(db, scope);
  if (!connections.length) return 0;
  const horizon = await readHorizon(db);
  let total = 0;
  for (const connection of connections) {
    try {
      total += await step(connection, horizon);
    } catch (error) {
      console.error(`shopify sync step failed for ${connection.shopDomain}`, error);
    }
  }
  return total;
}

export type ShopSession = { client: ShopifyAdminClient; locations: { locationGid: string; warehouseId: string }[]; connection: ShopConnection };

/** An Admin client for a connection (token opened here, never stored elsewhere); undefined if it is gone. */
export async function openShop(db: DbOrTx, connectionId: string, options: { limiter?: CostLimiter } = {}): Promise<ShopSession | undefined> {
  let credentials: Awaited<ReturnType<typeof loadShopCredentials>>;
  try {
    credentials = await loadShopCredentials(db, connectionId);
  } catch (error) {
    // A token that no longer opens (SECRETS_KEY changed) fails this shop's pushes visibly, not every shop's loop.
    console.error(`shop connection ${connectionId}: credentials cannot be opened`, error instanceof Error ? error.message : error);
    return undefined;
  }
  if (!credentials) return undefined;
  const { connection } = credentials;
  const client = new ShopifyAdminClient({
    shopDomain: connection.shopDomain,
    adminUrl: credentials.adminUrl,
    accessToken: credentials.adminToken,
    limiter: options.limiter,
    metrics: { db, accountId: connection.accountId, environment: connection.environment },
    timeoutMs: env().SHOPIFY_ADMIN_TIMEOUT_MS,
  });
  return { client, locations: credentials.locations, connection };
}

/** Seconds until the next try after `attempts` failed ones (SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS), or null when retries are exhausted. */
export function nextRetryDelay(attempts: number): number | null {
  const schedule = env().SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS;
  return attempts <= schedule.length ? schedule[attempts - 1] : null;
}

/** How long a claimed row stays invisible to other workers: longer than any push takes, short enough to recover a crash. */
export const CLAIM_LEASE_SECONDS = 120;

/**
 * A commit-safe scan window for a connection's cursor: [watermark, horizon). The horizon is read before the scan
 * (here, or by the caller for a whole round), so a transaction still in flight (whose rows carry an older now()) is
 * scanned next time, not skipped.
 */
export async function scanWindow(db: DbOrTx, connection: Pick<ShopConnection, "id" | "createdAt">, kind: string, horizon?: string): Promise<{ from: string; to: string }> {
  const to = horizon ?? (await readHorizon(db));
  const [row] = await queryRows<{ from: string }>(
    db,
    sql`select to_char(${shopifySyncCursors.watermark} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "from"
          from ${shopifySyncCursors} where ${shopifySyncCursors.connectionId} = ${connection.id} and ${shopifySyncCursors.kind} = ${kind}`,
  );
  // A new connection starts a little before it was made: orders and stock of that account may already be moving.
  const from = row?.from ?? new Date(connection.createdAt.getTime() - 3600_000).toISOString();
  return { from, to };
}

export async function advanceCursor(db: DbOrTx, connectionId: string, kind: string, to: string): Promise<void> {
  await db
    .insert(shopifySyncCursors)
    .values({ id: newId("scur"), connectionId, kind, watermark: sql`${to}::timestamptz`, lastRunAt: sql`now()` })
    .onConflictDoUpdate({
      target: [shopifySyncCursors.connectionId, shopifySyncCursors.kind],
      set: { watermark: sql`greatest(${shopifySyncCursors.watermark}, ${to}::timestamptz)`, lastRunAt: sql`now()`, updatedAt: sql`now()` },
    });
}

export async function cursorLastRun(db: DbOrTx, connectionId: string, kind: string): Promise<Date | null> {
  const [row] = await db
    .select({ lastRunAt: shopifySyncCursors.lastRunAt })
    .from(shopifySyncCursors)
    .where(and(eq(shopifySyncCursors.connectionId, connectionId), eq(shopifySyncCursors.kind, kind)));
  return row?.lastRunAt ?? null;
}

/** Runs fn over items with at most `limit` in flight. */
export async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(runners);
}

/**
 * Most rows one shop may have in a claimed batch: a shop waiting on its cost budget must not take a whole batch
 * from every other shop (head-of-line blocking across tenants; see lanes.ts for the rest of it).
 */
export const PER_SHOP_CLAIM = 10;

/**
 * Claims due rows of a push table (FOR UPDATE SKIP LOCKED) and leases them, so concurrent workers never push the same
 * one; at most PER_SHOP_CLAIM of them per shop.
 */
export async function claimDuePushes<T extends typeof shopifyFulfillmentPushes | typeof shopifyInventoryPushes>(
  db: DbOrTx,
  table: T,
  limit: number,
  scope: ClaimScope,
): Promise<T["$inferSelect"][]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update ${table} set next_attempt_at = now() + make_interval(secs => ${CLAIM_LEASE_SECONDS}), attempts = attempts + 1, updated_at = now()
         where id in (select id from ${table}
                       where id in (select id from (select id, row_number() over (partition by connection_id order by next_attempt_at) as n
                                                      from ${table} where state = 'pending' and next_attempt_at <= now() ${scopeCondition(scope)}) due
                                     where n <= ${PER_SHOP_CLAIM})
                         and state = 'pending' and next_attempt_at <= now()
                       order by next_attempt_at limit ${limit} for update skip locked)
     returning id`,
  );
  if (!rows.length) return [];
  // Both tables share the columns used here; drizzle cannot see that through the union.
  const pushes = table as typeof shopifyFulfillmentPushes;
  return (await db.select().from(pushes).where(inArray(pushes.id, rows.map((r) => r.id)))) as T["$inferSelect"][];
}

/** Claimed rows by shop connection. */
export function byConnection<T extends { connectionId: string }>(items: T[]): Map<string, T[]> {
  const lanes = new Map<string, T[]>();
  for (const item of items) lanes.set(item.connectionId, [...(lanes.get(item.connectionId) ?? []), item]);
  return lanes;
}
