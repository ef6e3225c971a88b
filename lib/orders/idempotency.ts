import { and, eq, lt, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import { sqlState } from "@/db/transaction";
import { ApiError } from "@/lib/api/errors";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";

/** Keys are honoured for at least this long (spec: ≥ 7 days). */
export const IDEMPOTENCY_TTL_DAYS = 7;

/**
 * How long a duplicate waits for the first request's transaction before answering 409 idempotency_in_progress
 * (IDEMPOTENCY_WAIT_MS, default 10 s).
 * The wait is on the unique index: PostgreSQL blocks a conflicting insert until the first inserter commits or
 * aborts, then reports the conflict (or lets it through), so a duplicate never sees a half-made order.
 */
function duplicateWait(): string {
  const ms = Number(process.env.IDEMPOTENCY_WAIT_MS || 10_000);
  return `${Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 10_000}ms`;
}

export type Claim = { claimed: true } | { claimed: false; orderId: string };

/**
 * Runs a statement that may wait on another transaction's uncommitted unique-index entry, bounding the wait.
 * A lock timeout means the first request is still running.
 */
export async function waitingOnDuplicate<T>(tx: DbOrTx, fn: () => Promise<T>): Promise<T> {
  const [saved] = await queryRows<{ prev: string }>(tx, sql`select current_setting('lock_timeout') as prev, set_config('lock_timeout', ${duplicateWait()}, true)`);
  try {
    return await fn();
  } catch (error) {
    if (sqlState(error) === "55P03") {
      throw new ApiError("idempotency_in_progress", "An identical request is still being processed; retry in a moment.");
    }
    throw error;
  } finally {
    // After a failure the transaction is aborted and this cannot run; it ends with the transaction anyway.
    await tx.execute(sql`select set_config('lock_timeout', ${saved?.prev ?? "0"}, true)`).catch(() => undefined);
  }
}

/**
 * Claims an Idempotency-Key for a new order inside the creating transaction. The key row commits (or vanishes)
 * with the order, so any row another request can see belongs to a finished order.
 * - no row yet → claimed (this request creates the order);
 * - a row with the same body hash → { claimed: false, orderId } (answer as a replay);
 * - a different body → 422 idempotency_key_reused.
 * An expired key is taken over as if new. Run it inside waitingOnDuplicate (the insert may wait on a duplicate).
 */
export async function claimIdempotencyKey(
  tx: DbOrTx,
  ctx: Pick<DomainContext, "accountId" | "environment">,
  input: { key: string; requestHash: string; orderId: string },
): Promise<Claim> {
  const expiresAt = sql`now() + make_interval(days => ${IDEMPOTENCY_TTL_DAYS})`;
  const inserted = await tx
      .insert(idempotencyKeys)
      .values({
        id: newId("idk"),
        accountId: ctx.accountId,
        environment: ctx.environment,
        key: input.key,
        requestHash: input.requestHash,
        state: "completed",
        orderId: input.orderId,
        expiresAt,
      })
      .onConflictDoNothing({ target: [idempotencyKeys.accountId, idempotencyKeys.environment, idempotencyKeys.key] })
      .returning({ id: idempotencyKeys.id });
  if (inserted.length) return { claimed: true };

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
    throw new ApiError("idempotency_in_progress", "An identical request is still being processed; retry in a moment.");
  }
  if (existing.requestHash !== input.requestHash) {
    throw new ApiError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
      "Idempotency-Key",
      { order_id: existing.orderId },
    );
  }
  return { claimed: false, orderId: existing.orderId };
}

/** Points a claimed key at the order it replays (a duplicate found through the reference). */
export async function pointKeyAt(tx: DbOrTx, ctx: Pick<DomainContext, "accountId" | "environment">, key: string, orderId: string): Promise<void> {
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
