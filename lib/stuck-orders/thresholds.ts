import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { stuckThresholds, warehouses } from "@/db/schema";
import { ValidationError } from "@/lib/errors";
import { inTransaction } from "@/db/transaction";
import { newId } from "@/lib/ids";
import { MAX_THRESHOLD_MINUTES } from "./duration";
import { carrierDueBy, stuckSql, withoutJit, type DetectionScope, type ThresholdSetting } from "./sql";
import { isThresholdKey, STUCK_STAGES, THRESHOLDS, type StuckStage, type ThresholdKey } from "./stages";

export type ThresholdScope = { accountId?: string | null; warehouseId?: string | null };
export type EffectiveThreshold = { minutes: number; from: "default" | "global" | "account" | "warehouse" };

function scopeCondition(scope: ThresholdScope): SQL | undefined {
  return and(
    scope.accountId ? eq(stuckThresholds.accountId, scope.accountId) : isNull(stuckThresholds.accountId),
    scope.warehouseId ? eq(stuckThresholds.warehouseId, scope.warehouseId) : isNull(stuckThresholds.warehouseId),
  );
}

/**
 * The threshold that applies to an order of this account at this warehouse, and where it comes from: the smaller
 * of an account and a warehouse override (the stricter promise wins), else the global override, else the default.
 */
export async function effectiveThreshold(db: DbOrTx, key: ThresholdKey, where: { accountId?: string; warehouseId?: string } = {}): Promise<EffectiveThreshold> {
  const rows = await db.select().from(stuckThresholds).where(eq(stuckThresholds.stage, key));
  const specific = rows
    .filter((r) => (where.accountId && r.accountId === where.accountId) || (where.warehouseId && r.warehouseId === where.warehouseId))
    .sort((a, b) => a.minutes - b.minutes)[0];
  if (specific) return { minutes: specific.minutes, from: specific.accountId ? "account" : "warehouse" };
  const global = rows.find((r) => r.accountId === null && r.warehouseId === null);
  return global ? { minutes: global.minutes, from: "global" } : { minutes: THRESHOLDS[key].defaultMinutes, from: "default" };
}

/** Every stored override, for the form: key, scope and minutes. */
export async function listThresholdOverrides(db: DbOrTx) {
  return db.select().from(stuckThresholds).orderBy(stuckThresholds.stage, stuckThresholds.accountId, stuckThresholds.warehouseId);
}

async function checkScope(db: DbOrTx, key: string, scope: ThresholdScope): Promise<void> {
  if (!isThresholdKey(key)) throw new ValidationError(`Unknown stage "${key}"; one of ${Object.keys(THRESHOLDS).join(", ")}.`, "stage");
  if (scope.accountId && scope.warehouseId) throw new ValidationError("A threshold is global, for one account or for one warehouse, not both.", "warehouse_id");
  if (scope.warehouseId) {
    const [found] = await db.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.id, scope.warehouseId));
    if (!found) throw new ValidationError(`Warehouse ${scope.warehouseId} does not exist.`, "warehouse_id");
  }
}

/** Sets the threshold of a stage, globally or for one account or warehouse. Refusals write nothing. */
export async function setThreshold(db: DbOrTx, input: { key: string; minutes: number } & ThresholdScope): Promise<void> {
  await checkScope(db, input.key, input);
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_THRESHOLD_MINUTES) {
    throw new ValidationError(`minutes must be a whole number from 1 to ${MAX_THRESHOLD_MINUTES} (31 days).`, "minutes");
  }
  await db
    .insert(stuckThresholds)
    .values({ id: newId("sth"), stage: input.key, accountId: input.accountId ?? null, warehouseId: input.warehouseId ?? null, minutes: input.minutes })
    .onConflictDoUpdate({
      target: [stuckThresholds.stage, stuckThresholds.accountId, stuckThresholds.warehouseId],
      set: { minutes: input.minutes, updatedAt: sql`now()` },
    });
}

/** Removes an override: the next level up (global override, then the default) applies again. */
export async function clearThreshold(db: DbOrTx, input: { key: string } & ThresholdScope): Promise<void> {
  await checkScope(db, input.key, input);
  await db.delete(stuckThresholds).where(and(eq(stuckThresholds.stage, input.key), scopeCondition(input)));
}

export type StuckPreview = { total: number; byStage: Record<StuckStage, number> };

/**
 * How many orders would be stuck at `now` with these thresholds in place of the stored ones (minutes null: the
 * override cleared): the form's live preview. Reads only; counts (order, stage) pairs, as the detector raises them.
 */
export async function previewStuck(db: Db, thresholds: ThresholdSetting[], now: Date = new Date(), scope: DetectionScope = {}): Promise<StuckPreview> {
  const rows = await inTransaction(db, async (tx) => {
    await withoutJit(tx);
    return queryRows<{ stage: StuckStage; n: number }>(tx, sql`select stage, count(*)::int as n from (${stuckSql(now, scope, thresholds, await carrierDueBy(tx, now, thresholds))}) s group by stage`);
  });
  const byStage = Object.fromEntries(STUCK_STAGES.map((stage) => [stage, 0])) as Record<StuckStage, number>;
  for (const row of rows) byStage[row.stage] = Number(row.n);
  return { total: Object.values(byStage).reduce((a, b) => a + b, 0), byStage };
}
