import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, warehouseEvents, type WarehouseEvent } from "@/db/schema";

export type FailedEventRow = WarehouseEvent & { accountName: string };

/** Failed warehouse events, newest first, for the failed-events page (ops see every account). */
export async function listFailedEvents(db: DbOrTx, { limit = 200 }: { limit?: number } = {}): Promise<FailedEventRow[]> {
  const rows = await db
    .select({ event: warehouseEvents, accountName: accounts.name })
    .from(warehouseEvents)
    .innerJoin(accounts, eq(accounts.id, warehouseEvents.accountId))
    .where(eq(warehouseEvents.state, "failed"))
    .orderBy(desc(warehouseEvents.createdAt), desc(warehouseEvents.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.event, accountName: r.accountName }));
}

/** How many failed events wait per reason: the page's summary ("12 unmapped_status"). */
export async function failedEventCounts(db: DbOrTx): Promise<{ reason: string; count: number }[]> {
  const rows = await db
    .select({ reason: warehouseEvents.reason, count: sql<number>`count(*)::int` })
    .from(warehouseEvents)
    .where(eq(warehouseEvents.state, "failed"))
    .groupBy(warehouseEvents.reason)
    .orderBy(desc(sql`count(*)`));
  return rows.map((r) => ({ reason: r.reason ?? "unknown", count: Number(r.count) }));
}
