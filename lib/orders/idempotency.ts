import { and, eq, lt, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { statement, type Placeholders } from "@/db/statement";
import { idempotencyKeys } from "@/db/schema";
import { sqlState } from "@/db/transaction";
import { DomainError } from "@/lib/errors";
import type { Tenant } from "@/lib/context";
import { env } from "@/lib/env";

/** Keys are honoured for at least this long (spec: ≥ 7 days). */
export const IDEMPOTENCY_TTL_DAYS = 7;

/**
 * How long a duplicate waits for the first request's transaction before answering 409 idempotency_in_progress
 * (IDEMPOTENCY_WAIT_MS, default 10 s).
 * The wait is on the unique index: PostgreSQL blocks a conflicting insert until the first inserter commits or
 * aborts, then reports the conflict (or lets it through), so a duplicate never sees a half-made order.
 */
export function duplicateWait(): string {
  return `${env().IDEMPOTENCY_WAIT_MS}ms`;
}

export type Claim = { claimed: true } | { claimed: false; orderId: string };

/** The statement fragment that bounds the wait (remembering the bound it replaces) to duplicateWait(); lift it after the doors. */
export function boundDuplicateWait(p: Placeholders<{ waitBound: string }>): SQL {
  return sql`select set_config('hub.lock_timeout_before', current_setting('lock_timeout'), true), set_config('lock_timeout', ${p.waitBound}::text, true)`;
}

const liftDuplicateWait = statement<Record<string, never>>(() => sql`select set_config('lock_timeout', current_setting('hub.lock_timeout_before'), true)`);

/**
 * Runs statements that may wait on another transaction's uncommitted unique-index entry, the first of which has
 * bounded the wait with boundDuplicateWait(). A lock timeout means the first request is still running.
 * The bound is lifted by a statement sent without waiting for its answer: the connection runs it before the
 * caller's next statement, so lifting costs no round trip of its own.
 */
export async function waitingOnDuplicate<T>(tx: DbOrTx, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (sqlState(error) === "55P03") {
      throw new DomainError("idempotency_in_progress", "An identical request is still being processed; retry in a moment.");
    }
    throw error;
  } finally {
    // After a failure the transaction is aborted and this cannot run; it ends with the transaction anyway.
    liftDuplicateWait(tx, {}).then(
      () => undefined,
      () => undefined,
    );
  }
}

type ClaimInput = { key: string; requestHash: string; orderId: string };
/** The values claimKeyStatement binds. */
export type ClaimValues = ClaimInput & Tenant & { keyId: string };

/**
 * The insert that claims an Idempotency-Key for a new order inside the creating transaction (returning id when
 * it claimed), for the caller to run alone or inside a larger statement; settleClaim reads its outcome. The key
 * row commits (or vanishes) with the order, so any row another request can see belongs to a finished order.
 * The insert may wait on a concurrent duplicate: run it with the wait bounded (boundDuplicateWait).
 */
export function claimKeyStatement(p: Placeholders<ClaimValues>): SQL {
  return sql`insert into ${idempotencyKeys} (id, account_id, environment, key, request_hash, state, order_id, expires_at)
    values (${p.keyId}, ${p.accountId}, ${p.environment}::environment, ${p.key}, ${p.requestHash}, 'completed', ${p.orderId},
            now() + make_interval(days => ${sql.raw(String(IDEMPOTENCY_TTL_DAYS))}))
    on conflict (account_id, environment, key) do nothing
    returning id`;
}

/**
 * What a key claim came to:
 * - inserted → claimed (this request creates the order);
 * - a row with the same body hash → { claimed: false, orderId } (answer as a replay);
 * - a different body → 422 idempotency_key_reused.
 * An expired key is taken over as if new.
 */
export async function settleClaim(
  tx: DbOrTx,
  ctx: Tenant,
  input: ClaimInput,
  inserted: boolean,
): Promise<Claim> {
  if (inserted) return { claimed: true };
  const expiresAt = sql`now() + make_interval(days => ${IDEMPOTENCY_TTL_DAYS})`;
  const where = and(eq(idempotencyKeys.accountId, ctx.accountId), eq(idempotencyKeys.environment, ctx.environment), eq(idempotencyKeys.key, input.key));
  const takenOver = await tx
    .update(idempotencyKeys)
    .set({ requestHash: input.requestHash, orderId: input.orderId, expiresAt, state: "completed" })
    .where(and(where, lt(idempotencyKeys.expiresAt, sql`now()`)))
    .returning({ id: idempotencyKeys.id });
  if (takenOver.length) return { claimed: true };

  const [existing] = await tx.select().from(idempotencyKeys).where(where);
  if (!existing || !existing.orderId) {
    // Only possible if the row was purged between the two statements: treat as a concurrent request.
    throw new DomainError("idempotency_in_progress", "An identical request is still being processed; retry in a moment.");
  }
  if (existing.requestHash !== input.requestHash) {
    throw new DomainError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
      "Idempotency-Key",
      { order_id: existing.orderId },
    );
  }
  return { claimed: false, orderId: existing.orderId };
}

/** Points a claimed key at the order it replays (a duplicate found through the reference). */
export async function pointKeyAt(tx: DbOrTx, ctx: Tenant, key: string, orderId: string): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ orderId })
    .where(and(eq(idempotencyKeys.accountId, ctx.accountId), eq(idempotencyKeys.environment, ctx.environment), eq(idempotencyKeys.key, key)));
}

/** Deletes keys past their expiry (run by the worker); returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db): Promise<number> {
  const deleted = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`)).returning({ id: idempotencyKeys.id });
  return deleted.length;
}
