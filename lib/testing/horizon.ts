import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
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
