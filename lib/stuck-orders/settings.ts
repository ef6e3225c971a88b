import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, stuckThresholds, warehouses, type Environment } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { parseCutoff } from "./duration";
import { THRESHOLDS, THRESHOLD_KEYS, type ThresholdKey } from "./stages";
import { clearThreshold, previewStuck, setThreshold, type StuckPreview } from "./thresholds";

/**
 * The threshold form's verbs: what one level (global, one account, one warehouse) overrides and what it inherits,
 * saving a level's overrides together, and the warehouses' daily cut-offs.
 */

/** The level a set of overrides belongs to, as the form and its links name it: "global", "account:<id>", "warehouse:<id>". */
export type ThresholdLevel = { kind: "global" } | { kind: "account"; accountId: string } | { kind: "warehouse"; warehouseId: string };

export function levelOf(text: string): ThresholdLevel | null {
  if (text === "global") return { kind: "global" };
  const m = /^(account|warehouse):([A-Za-z0-9_-]{1,80})$/.exec(text);
  if (!m) return null;
  return m[1] === "account" ? { kind: "account", accountId: m[2] } : { kind: "warehouse", warehouseId: m[2] };
}

export function levelText(level: ThresholdLevel): string {
  return level.kind === "global" ? "global" : level.kind === "account" ? `account:${level.accountId}` : `warehouse:${level.warehouseId}`;
}

function scopeOf(level: ThresholdLevel): { accountId: string | null; warehouseId: string | null } {
  return { accountId: level.kind === "account" ? level.accountId : null, warehouseId: level.kind === "warehouse" ? level.warehouseId : null };
}

export type ThresholdRow = {
  key: ThresholdKey;
  /** "not picked", "out for delivery without a carrier scan". */
  words: string;
  defaultMinutes: number;
  /** This level's override; null: none, the inherited value applies. */
  override: number | null;
  /** What applies at this level without its own override: the global override, else the default. */
  inherited: { minutes: number; from: "default" | "global" };
};

export type LevelChoice = { value: string; label: string };

/** Where an override can be set, for the form's picker: everywhere, each account, each warehouse (with its environment). */
export async function listThresholdLevels(db: DbOrTx): Promise<{ accounts: LevelChoice[]; warehouses: LevelChoice[] }> {
  const [accountRows, warehouseRows] = await Promise.all([
    db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)).limit(1000),
    db.select({ id: warehouses.id, name: warehouses.name, code: warehouses.code, environment: warehouses.environment }).from(warehouses).orderBy(asc(warehouses.environment), asc(warehouses.name)).limit(1000),
  ]);
  return {
    accounts: accountRows.map((a) => ({ value: `account:${a.id}`, label: a.name })),
    warehouses: warehouseRows.map((w) => ({ value: `warehouse:${w.id}`, label: `${w.name} (${w.code}, ${w.environment})` })),
  };
}

/** Names the level in a sentence ("Demo Merchant", "Sydney DC (SYD, live)"); throws when the account or warehouse is gone. */
export async function describeLevel(db: DbOrTx, level: ThresholdLevel): Promise<string> {
  if (level.kind === "global") return "every account and warehouse";
  if (level.kind === "account") {
    const [row] = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, level.accountId));
    if (!row) throw new ValidationError(`Account ${level.accountId} does not exist.`, "level");
    return row.name;
  }
  const [row] = await db.select({ name: warehouses.name, code: warehouses.code, environment: warehouses.environment }).from(warehouses).where(eq(warehouses.id, level.warehouseId));
  if (!row) throw new ValidationError(`Warehouse ${level.warehouseId} does not exist.`, "level");
  return `${row.name} (${row.code}, ${row.environment})`;
}

/** Every threshold key at one level: its own override and what it would inherit without it. */
export async function thresholdsAt(db: DbOrTx, level: ThresholdLevel): Promise<ThresholdRow[]> {
  const { accountId, warehouseId } = scopeOf(level);
  const rows = await db
    .select()
    .from(stuckThresholds)
    .where(and(isNull(stuckThresholds.accountId), isNull(stuckThresholds.warehouseId)))
    .union(
      db
        .select()
        .from(stuckThresholds)
        .where(and(accountId ? eq(stuckThresholds.accountId, accountId) : isNull(stuckThresholds.accountId), warehouseId ? eq(stuckThresholds.warehouseId, warehouseId) : isNull(stuckThresholds.warehouseId))),
    );
  const globals = new Map(rows.filter((r) => r.accountId === null && r.warehouseId === null).map((r) => [r.stage, r.minutes]));
  const own = new Map(rows.filter((r) => r.accountId === accountId && r.warehouseId === warehouseId).map((r) => [r.stage, r.minutes]));
  return THRESHOLD_KEYS.map((key) => {
    const global = level.kind === "global" ? undefined : globals.get(key);
    return {
      key,
      words: THRESHOLDS[key].words,
      defaultMinutes: THRESHOLDS[key].defaultMinutes,
      override: own.get(key) ?? null,
      inherited: global === undefined ? { minutes: THRESHOLDS[key].defaultMinutes, from: "default" as const } : { minutes: global, from: "global" as const },
    };
  });
}

/** Every override in place, for the page's list of where the defaults no longer hold. */
export async function listOverrides(db: DbOrTx) {
  return db
    .select({
      id: stuckThresholds.id,
      key: stuckThresholds.stage,
      minutes: stuckThresholds.minutes,
      accountId: stuckThresholds.accountId,
      accountName: accounts.name,
      warehouseId: stuckThresholds.warehouseId,
      warehouseName: warehouses.name,
      warehouseEnvironment: warehouses.environment,
      updatedAt: stuckThresholds.updatedAt,
    })
    .from(stuckThresholds)
    .leftJoin(accounts, eq(accounts.id, stuckThresholds.accountId))
    .leftJoin(warehouses, eq(warehouses.id, stuckThresholds.warehouseId))
    .orderBy(asc(stuckThresholds.accountId), asc(stuckThresholds.warehouseId), asc(stuckThresholds.stage))
    .limit(500);
}

export type ThresholdChange = { key: ThresholdKey; before: number | null; after: number | null };

/**
 * Saves one level's overrides together (null clears one: the level above applies again) and returns what changed.
 * Run it in a transaction: a refusal of any key leaves every key as it was.
 */
export async function saveThresholds(db: DbOrTx, input: { level: ThresholdLevel; minutes: Partial<Record<ThresholdKey, number | null>> }): Promise<{ levelName: string; changes: ThresholdChange[] }> {
  const levelName = await describeLevel(db, input.level);
  const scope = scopeOf(input.level);
  const current = new Map((await thresholdsAt(db, input.level)).map((r) => [r.key, r.override]));
  const changes: ThresholdChange[] = [];
  for (const key of THRESHOLD_KEYS) {
    if (!(key in input.minutes)) continue;
    const after = input.minutes[key] ?? null;
    const before = current.get(key) ?? null;
    if (after === before) continue;
    if (after === null) await clearThreshold(db, { key, ...scope });
    else await setThreshold(db, { key, minutes: after, ...scope });
    changes.push({ key, before, after });
  }
  return { levelName, changes };
}

export type CutoffWarehouse = { id: string; name: string; code: string; environment: Environment; timezone: string; cutoffTime: string | null };

/** The warehouses with their time zone and daily cut-off ("14:00", local to the warehouse), for the cut-off form. */
export async function listCutoffs(db: DbOrTx): Promise<CutoffWarehouse[]> {
  const rows = await db
    .select({ id: warehouses.id, name: warehouses.name, code: warehouses.code, environment: warehouses.environment, timezone: warehouses.timezone, cutoffTime: warehouses.cutoffTime })
    .from(warehouses)
    .orderBy(asc(warehouses.environment), asc(warehouses.priority), asc(warehouses.name))
    .limit(1000);
  return rows.map((r) => ({ ...r, cutoffTime: r.cutoffTime ? r.cutoffTime.slice(0, 5) : null }));
}

/**
 * Sets a warehouse's daily cut-off, a time of day in the warehouse's own time zone ("14:00"), or removes it (null):
 * an order still unpicked at the first cut-off after it was received is stuck even inside the not-picked threshold.
 */
export async function setWarehouseCutoff(db: DbOrTx, input: { warehouseId: string; cutoffTime: string | null }): Promise<{ warehouse: CutoffWarehouse; before: string | null }> {
  const parsed = parseCutoff(input.cutoffTime ?? "");
  if (!parsed.ok) throw new ValidationError(parsed.error, "cutoffTime");
  const [before] = await db.select({ cutoffTime: warehouses.cutoffTime }).from(warehouses).where(eq(warehouses.id, input.warehouseId)).for("update");
  if (!before) throw new NotFoundError("Warehouse", input.warehouseId);
  const [row] = await db
    .update(warehouses)
    .set({ cutoffTime: parsed.time === null ? null : `${parsed.time}:00` })
    .where(eq(warehouses.id, input.warehouseId))
    .returning({ id: warehouses.id, name: warehouses.name, code: warehouses.code, environment: warehouses.environment, timezone: warehouses.timezone, cutoffTime: warehouses.cutoffTime });
  return { warehouse: { ...row, cutoffTime: row.cutoffTime ? row.cutoffTime.slice(0, 5) : null }, before: before.cutoffTime ? before.cutoffTime.slice(0, 5) : null };
}

export type LevelPreview = { proposed: StuckPreview; saved: StuckPreview };

/**
 * The form's live preview: how many orders are stuck at `now` with these values at this level (every other level as
 * stored), beside the count with the saved values. An account's level counts that account's orders; the global and
 * a warehouse's level count every order (a warehouse's orders belong to many accounts).
 */
export async function previewLevel(db: Db, input: { level: ThresholdLevel; minutes: Partial<Record<ThresholdKey, number | null>> }, now: Date = new Date()): Promise<LevelPreview> {
  const scope = scopeOf(input.level);
  const proposed = THRESHOLD_KEYS.filter((key) => key in input.minutes).map((key) => ({ key, ...scope, minutes: input.minutes[key] ?? null }));
  const detection = input.level.kind === "account" ? { accountId: input.level.accountId } : {};
  const [withValues, saved] = await Promise.all([previewStuck(db, proposed, now, detection), previewStuck(db, [], now, detection)]);
  return { proposed: withValues, saved };
}
