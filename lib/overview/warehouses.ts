import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { orders, shipments, warehouses, type Environment } from "@/db/schema";

export type WarehouseDay = {
  id: string;
  name: string;
  code: string;
  environment: Environment;
  timeZone: string;
  paused: boolean;
  /** The daily cut-off, "14:00" local time; null: the warehouse has none, so nothing is projected. */
  cutoffTime: string | null;
  /** Today's cut-off (the warehouse's today, in its zone) as an instant. */
  cutoffAt: string | null;
  /** Open orders (received or picking) that came in before today's cut-off: all of them should leave today. */
  dueOpen: number;
  /** Orders with a shipment out of this warehouse since its local midnight. */
  shippedToday: number;
  /** Orders shipped in the hour before now: the rate the projection runs at. */
  lastHour: number;
  /** Minutes until the cut-off; zero or less once it has passed. Null without a cut-off. */
  minutesLeft: number | null;
  /** At last hour's rate, how many of the open due orders will not be out by the cut-off (all of them once it passed). */
  willMiss: number | null;
};

/** Which warehouses to read: every one, or the listed ones (a test reads only its own). */
export type WarehouseScope = { warehouseIds?: string[] };

/**
 * The shift lead's projection: at `perHour` orders an hour, how many of `dueOpen` will still be in the building when
 * the cut-off comes, `minutesLeft` from now. Once the cut-off has passed every open due order has missed it.
 */
export function projectMisses(input: { dueOpen: number; perHour: number; minutesLeft: number }): number {
  if (input.minutesLeft <= 0) return input.dueOpen;
  const canShip = Math.floor((input.perHour * input.minutesLeft) / 60);
  return Math.max(0, input.dueOpen - canShip);
}

/**
 * Each warehouse's day at `now`: what is due by today's cut-off, what has gone, and the projection. Today and the
 * cut-off are the warehouse's own (its time zone), whatever the dashboard's zone. Each count is a range of an index
 * over just those rows (orders_warehouse_id_created_at_open_idx: open orders only; shipments_warehouse_id_shipped_at_idx),
 * never a count among all orders.
 */
export async function loadWarehouseDays(db: DbOrTx, now: Date, scope: WarehouseScope = {}): Promise<WarehouseDay[]> {
  if (scope.warehouseIds && scope.warehouseIds.length === 0) return [];
  const at = sql`${now.toISOString()}::timestamptz`;
  const only = scope.warehouseIds ? sql`where w.id in (${sql.join(scope.warehouseIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const utc = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const found = await queryRows<{
    id: string;
    name: string;
    code: string;
    environment: Environment;
    time_zone: string;
    paused: boolean;
    cutoff_time: string | null;
    cutoff_at: string | null;
    day_start: string;
  }>(
    db,
    sql`select w.id, w.name, w.code, w.environment, w.timezone as time_zone, w.paused,
               to_char(w.cutoff_time, 'HH24:MI') as cutoff_time,
               ${utc(sql`((${at} at time zone w.timezone)::date + w.cutoff_time) at time zone w.timezone`)} as cutoff_at,
               ${utc(sql`((${at} at time zone w.timezone)::date)::timestamp at time zone w.timezone`)} as day_start
          from ${warehouses} w
          ${only}
         order by w.environment, w.priority, w.name`,
  );
  // One small statement per warehouse with its own bounds, not one correlated over all of them: the planner then
  // sees each range (a day, an hour) instead of guessing for an unanalyzed warehouses table, whose guess priced the
  // single statement high enough to be JIT-compiled on every view (0.7 s of compiling for 12 ms of reading).
  const days: WarehouseDay[] = [];
  for (const w of found) {
    const [counts] = await queryRows<{ due_open: number; shipped_today: number; last_hour: number }>(
      db,
      sql`select
            (select count(*)::int from ${orders} o
              where o.warehouse_id = ${w.id} and o.status in ('received', 'processing') and o.created_at < ${w.cutoff_at ?? now.toISOString()}::timestamptz) as due_open,
            (select count(distinct s.order_id)::int from ${shipments} s
              where s.warehouse_id = ${w.id} and s.shipped_at >= ${w.day_start}::timestamptz and s.shipped_at <= ${at} and not s.voided) as shipped_today,
            (select count(distinct s.order_id)::int from ${shipments} s
              where s.warehouse_id = ${w.id} and s.shipped_at > ${new Date(now.getTime() - 3600_000).toISOString()}::timestamptz and s.shipped_at <= ${at} and not s.voided) as last_hour`,
    );
    const minutesLeft = w.cutoff_at ? Math.floor((Date.parse(w.cutoff_at) - now.getTime()) / 60_000) : null;
    const dueOpen = Number(counts.due_open);
    const lastHour = Number(counts.last_hour);
    days.push({
      id: w.id,
      name: w.name,
      code: w.code,
      environment: w.environment,
      timeZone: w.time_zone,
      paused: w.paused,
      cutoffTime: w.cutoff_time,
      cutoffAt: w.cutoff_at ? w.cutoff_at.replace(/\.000Z$/, "Z") : null,
      dueOpen,
      shippedToday: Number(counts.shipped_today),
      lastHour,
      minutesLeft,
      willMiss: minutesLeft === null ? null : projectMisses({ dueOpen, perHour: lastHour, minutesLeft }),
    });
  }
  return days;
}
