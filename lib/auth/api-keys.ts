import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { accounts, apiKeys, type ApiKey, type Environment } from "@/db/schema";
import { horizonQuery } from "@/lib/api/pagination";
import { newId } from "@/lib/ids";

export type KeyRole = "partner" | "warehouse";

const KEY_PATTERN = /^wms_(test|live)_[A-Za-z0-9]{20,64}$/;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length; i++) {
    const b = bytes[i % bytes.length];
    if (b < 248) out += BASE62[b % 62]; // 248 = 4 × 62: no modulo bias
    if (i > bytes.length * 4) throw new Error("unreachable");
  }
  return out;
}

/** Finds or creates an account by name. */
export async function ensureAccount(db: DbOrTx, name: string): Promise<string> {
  const [row] = await db
    .insert(accounts)
    .values({ id: newId("acct"), name })
    .onConflictDoUpdate({ target: accounts.name, set: { name } })
    .returning({ id: accounts.id });
  return row.id;
}

/** Issues a key; the plaintext is returned once and only its hash is stored. */
export async function createApiKey(
  db: DbOrTx,
  input: { accountId: string; environment: Environment; role?: KeyRole },
): Promise<{ key: string; record: ApiKey }> {
  const key = `wms_${input.environment === "sandbox" ? "test" : "live"}_${randomBase62(40)}`;
  const [record] = await db
    .insert(apiKeys)
    .values({
      id: newId("key"),
      accountId: input.accountId,
      environment: input.environment,
      role: input.role ?? "partner",
      displayPrefix: key.slice(0, 13),
      keyHash: hashApiKey(key),
    })
    .returning();
  return { key, record };
}

export async function revokeApiKey(db: DbOrTx, keyId: string): Promise<void> {
  await db.update(apiKeys).set({ revokedAt: sql`now()` }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
}

export type Authenticated = {
  keyId: string;
  accountId: string;
  environment: Environment;
  role: KeyRole;
  rate: { limit: number; count: number; resetAt: number };
  /** The feeds' commit-safe horizon, read by the same statement when asked for (lib/api/pagination.ts). */
  horizon?: string;
};

type KeyRow = {
  key_id: string;
  account_id: string;
  environment: Environment;
  role: KeyRole;
  limit_per_minute: number;
  count: number;
  reset_at: string;
  horizon: string | null;
};

const authenticateStatement = statement<{ keyHash: string; defaultLimit: number; withHorizon: boolean }, KeyRow>(
  (p) => sql`with k as (
      select ${apiKeys.id} as key_id, ${apiKeys.accountId} as account_id, ${apiKeys.environment} as environment,
             ${apiKeys.role} as role, coalesce(${accounts.rateLimitPerMinute}, ${p.defaultLimit}::int)::int as limit_per_minute
        from ${apiKeys} join ${accounts} on ${accounts.id} = ${apiKeys.accountId}
       where ${apiKeys.keyHash} = ${p.keyHash} and ${apiKeys.revokedAt} is null
    ), c as (
      insert into rate_limit_counters (key, window_start, count)
      select key_id, date_trunc('minute', now()), 1 from k
      on conflict (key) do update
        set count = case when rate_limit_counters.window_start = excluded.window_start then rate_limit_counters.count + 1 else 1 end,
            window_start = excluded.window_start
      returning count, window_start
    )
    select k.*, c.count, extract(epoch from c.window_start + interval '1 minute')::bigint::text as reset_at,
           case when ${p.withHorizon}::boolean then (${horizonQuery}) end as horizon
      from k, c`,
);

/**
 * Looks the key up and counts the request against its per-minute window in ONE statement: auth and rate limit
 * cost a single round trip, revocation takes effect at once, and the counter lives in the shared database so
 * it holds across app instances. A feed read (listRead) has the feeds' horizon read by it too: the statement
 * runs before the page query, which is all the horizon needs, and the list saves a round trip.
 */
export async function authenticateKey(db: DbOrTx, key: string, defaultLimit: number, options: { withHorizon?: boolean } = {}): Promise<Authenticated | null> {
  if (!isWellFormedKey(key)) return null;
  const [row] = await authenticateStatement(db, { keyHash: hashApiKey(key), defaultLimit, withHorizon: options.withHorizon ?? false });
  if (!row) return null;
  return {
    keyId: row.key_id,
    accountId: row.account_id,
    environment: row.environment,
    role: row.role,
    rate: { limit: Number(row.limit_per_minute), count: Number(row.count), resetAt: Number(row.reset_at) },
    horizon: row.horizon ?? undefined,
  };
}
