import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { operationalExceptions } from "@/db/schema";

/** Limits the counts to one account: tests share one database and must not count each other's rows. */
export type AttentionScope = { accountId?: string };

export type OpenCount = {
  /** The exception kind, or the stuck stage. */
  key: string;
  count: number;
  /** When the oldest of them was raised. */
  oldestAt: string;
};

const iso = (column: ReturnType<typeof sql>) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * Exceptions in the queue at `now` by kind, with the oldest: open and not snoozed (a snoozed one is out of the
 * queue until its time comes), as the exceptions list counts them. Reads the open-by-kind partial index only.
 */
export async function openExceptionsByKind(db: DbOrTx, now: Date, scope: AttentionScope = {}): Promise<OpenCount[]> {
  const rows = await queryRows<{ key: string; count: number; oldest_at: string }>(
    db,
    sql`select x.kind as key, count(*)::int as count, ${iso(sql`min(x.created_at)`)} as oldest_at
          from ${operationalExceptions} x
         where x.status = 'open' and (x.snoozed_until is null or x.snoozed_until <= ${now.toISOString()}::timestamptz)
               ${scope.accountId ? sql`and x.account_id = ${scope.accountId}` : sql``}
         group by x.kind
         order by count(*) desc, x.kind`,
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.count), oldestAt: r.oldest_at }));
}

/**
 * Orders stuck now, by stage, the oldest dated from when its order entered the stage: the open stuck_order exceptions the detector keeps (one per order and stage, through
 * the partial unique index of open stuck exceptions), so the overview agrees with the exceptions list filtered by stage.
 */
export async function stuckOrdersByStage(db: DbOrTx, now: Date, scope: AttentionScope = {}): Promise<OpenCount[]> {
  const rows = await queryRows<{ key: string; count: number; oldest_at: string }>(
    db,
    sql`select x.data->>'stage' as key, count(*)::int as count,
               ${iso(sql`min(coalesce((x.data->>'since')::timestamptz, x.created_at))`)} as oldest_at
          from ${operationalExceptions} x
         where x.kind = 'stuck_order' and x.status = 'open' and (x.snoozed_until is null or x.snoozed_until <= ${now.toISOString()}::timestamptz)
               ${scope.accountId ? sql`and x.account_id = ${scope.accountId}` : sql``}
         group by x.data->>'stage'
         order by count(*) desc, x.data->>'stage'`,
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.count), oldestAt: r.oldest_at }));
}
