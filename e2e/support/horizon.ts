import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { readHorizon } from "@/lib/api/pagination";

/**
 * Waits until every transaction open at this moment has ended. Lists hold back rows at or after the start of the
 * oldest open transaction (the commit-safe horizon); on a PostgreSQL database shared by test files running in
 * parallel, another file's open transaction would otherwise hide what this test just wrote.
 */
export async function settleHorizon(timeoutMs = 30_000): Promise<void> {
  const db = getDb();
  const [{ now }] = await queryRows<{ now: string }>(db, sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`);
  const deadline = Date.now() + timeoutMs;
  while ((await readHorizon(db)) <= now) {
    if (Date.now() > deadline) throw new Error(`a transaction stayed open for ${timeoutMs} ms: lists cannot show rows written after it began`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A transaction on a connection of its own that reads `probe`, then stays open (idle in transaction) until closed. */
export async function holdTransactionOpen<T extends Record<string, unknown>>(probe: SQL): Promise<{ row: T; close: () => Promise<void> }> {
  let began!: (row: T) => void;
  let release!: () => void;
  const rowP = new Promise<T>((r) => (began = r));
  const released = new Promise<void>((r) => (release = r));
  const open = inTransaction(getDb(), async (tx) => {
    const [row] = await queryRows<T>(tx, probe);
    began(row);
    await released;
  });
  return { row: await rowP, close: () => (release(), open) };
}

/**
 * Lists are commit-safe: rows newer than the start of any transaction still open in the database are held back
 * until it ends, and other test files' transactions share the database. Re-reads until ready() holds (or ~10 s).
 */
export async function settled<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ready(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
