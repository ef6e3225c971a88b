import type { DbOrTx, Tx } from "./client";

const RETRYABLE = new Set(["40P01", "40001"]); // deadlock_detected, serialization_failure

function sqlState(error: unknown): string | undefined {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The PostgreSQL error code (SQLSTATE) behind an error, looking through Drizzle's wrapping. */
export { sqlState };

/**
 * Runs fn in a transaction, retrying a few times when PostgreSQL aborts it as a deadlock victim or for
 * serialization. Stock rows are locked in a fixed order so this is rare, but two flows that lock in
 * different order (a receipt releasing backorders while an order allocates) can still meet.
 *
 * Given a transaction already open (a channel intake that creates an order inside its own, a lock attempt that
 * may fail without losing the caller's work), fn runs in a savepoint instead and is not retried: a deadlock aborts
 * the whole outer transaction, so only its owner, at the top level, can run it again.
 */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>, attempts = 4): Promise<T> {
  if ("rollback" in db) return db.transaction(fn);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has(sqlState(error) ?? "")) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
