import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { accounts, apiKeys, type ApiKey, type Environment } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { provisionSandboxAccount } from "@/lib/accounts/sandbox";
import { horizonQuery } from "@/lib/api/pagination";
import type { AuditChange as AuditEntry } from "@/lib/audit/record";
import { NotFoundError, ValidationError } from "@/lib/errors";
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

/** What the key list shows of a key: never its hash. */
export type ApiKeyListing = {
  id: string;
  accountId: string;
  accountName: string;
  environment: Environment;
  role: KeyRole;
  displayPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The keys of one account (or of every account), live ones first, newest first. */
export async function listApiKeys(db: DbOrTx, filter: { accountId?: string } = {}): Promise<ApiKeyListing[]> {
  return db
    .select({
      id: apiKeys.id,
      accountId: apiKeys.accountId,
      accountName: accounts.name,
      environment: apiKeys.environment,
      role: apiKeys.role,
      displayPrefix: apiKeys.displayPrefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.accountId))
    .where(filter.accountId ? eq(apiKeys.accountId, filter.accountId) : undefined)
    .orderBy(sql`${apiKeys.revokedAt} is not null`, asc(accounts.name), desc(apiKeys.createdAt))
    .limit(1000);
}

/** What the audit log keeps of a key: which one and what it may do, never the key or its hash. */
function auditedKey(record: Pick<ApiKey, "accountId" | "environment" | "role" | "displayPrefix">) {
  return { accountId: record.accountId, environment: record.environment, role: record.role, prefix: record.displayPrefix };
}

/**
 * Issues a key for the named account (created when new; a sandbox account gets its starter SKUs and stock), for the
 * Admin page and `npm run apikey` alike. The key itself is in the result once; only its hash is kept.
 */
export async function issueApiKey(
  db: DbOrTx,
  input: { accountName: string; environment: Environment; role: KeyRole },
): Promise<{ key: string; record: ApiKey; accountName: string; audit: AuditEntry }> {
  const accountName = input.accountName.trim();
  if (!accountName) throw new ValidationError("Name the account the key is for.", "account");
  if (accountName.length > 200) throw new ValidationError("An account name can have at most 200 characters.", "account");
  return inTransaction(db, async (tx) => {
    const accountId = await ensureAccount(tx, accountName);
    if (input.environment === "sandbox") await provisionSandboxAccount(tx, accountId);
    const { key, record } = await createApiKey(tx, { accountId, environment: input.environment, role: input.role });
    const audit: AuditEntry = { entityType: "api_key", entityId: record.id, action: "issued", after: { ...auditedKey(record), account: accountName }, accountId, environment: record.environment };
    return { key, record, accountName, audit };
  });
}

/**
 * Revokes the key: the next request that presents it gets 401 (authentication reads revoked_at on every request).
 * A key already revoked is refused, so the audit log holds one revocation per key.
 */
export async function revokeApiKey(db: DbOrTx, keyId: string): Promise<{ record: ApiKey; audit: AuditEntry }> {
  const [record] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning();
  if (!record) {
    const [existing] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, keyId));
    if (!existing) throw new NotFoundError("API key", keyId);
    throw new ValidationError("This key is already revoked.");
  }
  const audit: AuditEntry = {
    entityType: "api_key",
    entityId: record.id,
    action: "revoked",
    before: { ...auditedKey(record), revokedAt: null },
    after: { ...auditedKey(record), revokedAt: record.revokedAt },
    accountId: record.accountId,
    environment: record.environment,
  };
  return { record, audit };
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
    ), used as (
      -- At most one write a minute per key: "last used" is read by people at minute precision, and a write per
      -- request would make every call of a busy key queue on its row lock and leave a dead row version behind.
      update api_keys set last_used_at = now()
        from k
       where api_keys.id = k.key_id and (api_keys.last_used_at is null or api_keys.last_used_at < now() - interval '1 minute')
    )
    select k.*, c.count, extract(epoch from c.window_start + interval '1 minute')::bigint::text as reset_at,
           case when ${p.withHorizon}::boolean then (${horizonQuery}) end as horizon
      from k, c`,
);

/**
 * Looks the key up and counts the request against its per-minute window in ONE statement: auth and rate limit
 * cost a single round trip, revocation takes effect at once, and the counter lives in the shared database so
 * it holds across app instances. The same statement notes when the key was last used (at most once a minute). A feed read (listRead) has the feeds' horizon read by it too: the statement
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
