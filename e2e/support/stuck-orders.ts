import { sql } from "drizzle-orm";
import { createDatabase, queryRows } from "@/db/client";
import { detectStuckOrders, type DetectionResult } from "@/lib/stuck-orders/detect";
import { e2eDatabaseUrl } from "./playwright-env";

/**
 * Time for the stuck-order journeys. No API makes an order old, so a spec ages an order's current stage in the
 * server's database (as if it had entered it hours ago) and runs one detector pass for its own account (the same
 * function the server's worker runs every minute), instead of waiting a minute for the worker.
 */
async function withDatabase<T>(work: (db: ReturnType<typeof createDatabase>["db"]) => Promise<T>): Promise<T> {
  const handle = createDatabase({ url: e2eDatabaseUrl, poolMax: 1 });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** The order entered its current stage `hours` ago. */
export async function ageOrderStage(orderId: string, hours: number): Promise<void> {
  await withDatabase((db) => db.execute(sql`update orders set stage_entered_at = now() - make_interval(mins => ${Math.round(hours * 60)}) where id = ${orderId}`));
}

/** The id of the account with this name (the specs name their accounts; the dashboard's filters take ids). */
export async function accountIdOf(accountName: string): Promise<string> {
  const [account] = await withDatabase((db) => queryRows<{ id: string }>(db, sql`select id from accounts where name = ${accountName}`));
  if (!account) throw new Error(`no account named ${accountName}`);
  return account.id;
}

/** One detector pass over the orders of the account with this name. */
export async function detectStuckOrdersOf(accountName: string): Promise<DetectionResult> {
  const accountId = await accountIdOf(accountName);
  return withDatabase((db) => detectStuckOrders(db, { accountId }));
}
