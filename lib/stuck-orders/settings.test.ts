import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, stuckThresholds, warehouses } from "@/db/schema";
import { createSku, createTenant, unique, type TestTenant } from "@/e2e/support/factories";
import { placeTestOrder } from "@/e2e/support/orders";
import { upsertDashboardUser, type DashboardRole } from "@/lib/auth/dashboard-users";
import { STALE_PAGE } from "@/lib/dashboard/form-data";
import { performAction } from "@/lib/dashboard/perform-action";
import { formatMinutes, parseCutoff, parseDuration } from "./duration";
import { saveCutoffOptions, saveCutoffVerb, saveThresholdsOptions, saveThresholdsVerb } from "./form-actions";
import { previewLevel, thresholdsAt } from "./settings";
import { THRESHOLD_KEYS } from "./stages";

const HOUR = 3_600_000;

const signedIn = (role: DashboardRole) => upsertDashboardUser(getDb(), { email: `${unique(role)}@hub.test`, password: "a long password", role });

/** The threshold form as the page submits it: every key, empty where nothing is typed. */
function thresholdsForm(level: string, typed: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append("level", level);
  for (const key of THRESHOLD_KEYS) form.append(key, typed[key] ?? "");
  return form;
}

function cutoffForm(warehouseId: string, cutoffTime: string): FormData {
  const form = new FormData();
  form.append("warehouseId", warehouseId);
  form.append("cutoffTime", cutoffTime);
  return form;
}

async function storedFor(t: TestTenant) {
  const rows = await getDb().select().from(stuckThresholds).where(eq(stuckThresholds.accountId, t.accountId));
  return Object.fromEntries(rows.map((r) => [r.stage, r.minutes]));
}

const saveThresholds = async (role: DashboardRole, form: FormData) => performAction(saveThresholdsOptions, saveThresholdsVerb, await signedIn(role), form);
const saveCutoff = async (role: DashboardRole, form: FormData) => performAction(saveCutoffOptions, saveCutoffVerb, await signedIn(role), form);

const auditOf = (entityId: string) => getDb().select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.id);

describe("durations as ops type them", () => {
  it("reads minutes, hours and days, and refuses the rest with a message", () => {
    expect(parseDuration("")).toEqual({ ok: true, minutes: null });
    expect(parseDuration("  ")).toEqual({ ok: true, minutes: null });
    expect(parseDuration("90")).toEqual({ ok: true, minutes: 90 });
    expect(parseDuration("90 min")).toEqual({ ok: true, minutes: 90 });
    expect(parseDuration("4h")).toEqual({ ok: true, minutes: 240 });
    expect(parseDuration("1 h 30 min")).toEqual({ ok: true, minutes: 90 });
    expect(parseDuration("2 D")).toEqual({ ok: true, minutes: 2880 });
    expect(parseDuration("31 days")).toEqual({ ok: true, minutes: 31 * 1440 });
    for (const bad of ["abc", "4 weeks", "-5", "1.5 h", "h", "4 h,", "9".repeat(50)]) expect(parseDuration(bad), bad).toMatchObject({ ok: false, error: expect.stringContaining("duration") });
    expect(parseDuration("0")).toEqual({ ok: false, error: "At least 1 minute." });
    expect(parseDuration("32 d")).toEqual({ ok: false, error: "At most 31 days." });
    expect([45, 60, 90, 240, 2880, 3000].map(formatMinutes)).toEqual(["45 min", "1 h", "1 h 30 min", "4 h", "2 d", "2 d 2 h"]);
  });

  it("reads a cut-off as a 24-hour time of day, empty for none", () => {
    expect(parseCutoff("14:00")).toEqual({ ok: true, time: "14:00" });
    expect(parseCutoff("07:30:00")).toEqual({ ok: true, time: "07:30" });
    expect(parseCutoff("")).toEqual({ ok: true, time: null });
    for (const bad of ["24:00", "7:30", "14:60", "2 pm", "14:00:30"]) expect(parseCutoff(bad), bad).toMatchObject({ ok: false });
  });
});

describe("the threshold form's actions", () => {
  it("refuses support and warehouse users, for thresholds and cut-offs, and writes nothing", async () => {
    const t = await createTenant();
    for (const role of ["support", "warehouse"] as const) {
      expect(await saveThresholds(role, thresholdsForm(`account:${t.accountId}`, { not_picked: "1 h" }))).toEqual({
        ok: false,
        error: `Only ops or admin users can do this; you are signed in as ${role}.`,
        fieldErrors: {},
      });
      expect(await saveCutoff(role, cutoffForm(t.warehouses.syd, "14:00"))).toMatchObject({ ok: false, error: expect.stringContaining("Only ops or admin") });
    }
    expect(await storedFor(t)).toEqual({});
    const [syd] = await getDb().select().from(warehouses).where(eq(warehouses.id, t.warehouses.syd));
    expect(syd.cutoffTime).toBeNull();
    expect(await auditOf(t.warehouses.syd)).toEqual([]);
  });

  it("saves an account's overrides as ops, records each change for the audit log, and an admin clears one", async () => {
    const t = await createTenant();
    const saved = await saveThresholds("ops", thresholdsForm(`account:${t.accountId}`, { not_picked: "1 h 30 min", backordered_too_long: "3 d" }));
    expect(saved).toMatchObject({ ok: true, data: { message: expect.stringContaining("not picked (inherited) → 1 h 30 min; backordered (inherited) → 3 d") } });
    expect(await storedFor(t)).toEqual({ not_picked: 90, backordered_too_long: 4320 });
    const level = `account:${t.accountId}`;
    expect(await auditOf(`${level}:not_picked`)).toEqual([
      expect.objectContaining({ entityType: "stuck_threshold", action: "set", before: null, after: { minutes: 90 }, actorRole: "ops", source: "dashboard", accountId: t.accountId }),
    ]);
    expect(await auditOf(`${level}:backordered_too_long`)).toEqual([expect.objectContaining({ action: "set", before: null, after: { minutes: 4320 } })]);

    const rows = await thresholdsAt(getDb(), { kind: "account", accountId: t.accountId });
    expect(rows.find((r) => r.key === "not_picked")).toMatchObject({ override: 90, inherited: { from: expect.stringMatching(/default|global/) } });

    // The form sends every key: what is unchanged is not recorded again.
    const cleared = await saveThresholds("admin", thresholdsForm(level, { not_picked: "", backordered_too_long: "72 h" }));
    expect(cleared).toMatchObject({ ok: true });
    expect(await storedFor(t)).toEqual({ backordered_too_long: 4320 });
    expect((await auditOf(`${level}:not_picked`)).map((r) => [r.action, r.before, r.after, r.actorRole])).toEqual([
      ["set", null, { minutes: 90 }, "ops"],
      ["cleared", { minutes: 90 }, null, "admin"],
    ]);
    expect(await auditOf(`${level}:backordered_too_long`)).toHaveLength(1);
  });

  it("answers bad values on their own fields and writes none of the form, not even its good values", async () => {
    const t = await createTenant();
    const result = await saveThresholds("ops", thresholdsForm(`account:${t.accountId}`, { not_picked: "2 h", not_shipped: "soon", return_not_restocked: "40 d" }));
    expect(result).toEqual({
      ok: false,
      error: "Fix the highlighted fields.",
      fieldErrors: { not_shipped: expect.stringContaining("Write a duration"), return_not_restocked: "At most 31 days." },
    });
    expect(await storedFor(t)).toEqual({});

    expect(await saveThresholds("ops", thresholdsForm("account:<script>"))).toMatchObject({ ok: false, error: STALE_PAGE });
    expect(await saveThresholds("ops", thresholdsForm("account:acct_gone", { not_picked: "1 h" }))).toEqual({ ok: false, error: "Account acct_gone does not exist.", fieldErrors: {} });
  });

  it("sets a warehouse's overrides and its cut-off in its own time zone, refusing a time that is not one", async () => {
    const t = await createTenant();
    const level = `warehouse:${t.warehouses.mel}`;
    expect(await saveThresholds("ops", thresholdsForm(level, { not_picked: "2 h" }))).toMatchObject({ ok: true });
    const [row] = await getDb().select().from(stuckThresholds).where(and(eq(stuckThresholds.warehouseId, t.warehouses.mel), eq(stuckThresholds.stage, "not_picked")));
    expect(row).toMatchObject({ minutes: 120, accountId: null });

    expect(await saveCutoff("ops", cutoffForm(t.warehouses.mel, "14:30"))).toEqual({
      ok: true,
      data: { message: "Melbourne DC: daily cut-off 14:30 (Australia/Sydney).", warehouseId: t.warehouses.mel, environment: "sandbox", before: null, after: "14:30" },
    });
    expect(await auditOf(t.warehouses.mel)).toEqual([
      expect.objectContaining({ entityType: "warehouse", action: "cutoff_changed", before: { cutoff_time: null }, after: { cutoff_time: "14:30" }, environment: "sandbox" }),
    ]);
    expect(await saveCutoff("ops", cutoffForm(t.warehouses.mel, "25:00"))).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { cutoffTime: expect.stringContaining("24-hour") } });
    expect(await saveCutoff("ops", cutoffForm("wh_gone", "10:00"))).toEqual({ ok: false, error: "Warehouse 'wh_gone' was not found.", fieldErrors: {} });
    const [mel] = await getDb().select().from(warehouses).where(eq(warehouses.id, t.warehouses.mel));
    expect(mel.cutoffTime).toBe("14:30:00");

    expect(await saveCutoff("admin", cutoffForm(t.warehouses.mel, ""))).toMatchObject({ ok: true, data: { after: null, message: "Melbourne DC: no daily cut-off." } });
    expect((await auditOf(t.warehouses.mel)).map((r) => r.after)).toEqual([{ cutoff_time: "14:30" }, { cutoff_time: null }]);
  });

  it("previews the count of stuck orders with the values typed, beside the count with the saved ones", async () => {
    const t = await createTenant();
    await createSku(t, "BOX", { [t.warehouses.syd]: 10 });
    await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    const level = { kind: "account" as const, accountId: t.accountId };
    const now = new Date(Date.now() + 2 * HOUR);

    expect(await previewLevel(getDb(), { level, minutes: {} }, now)).toMatchObject({ proposed: { total: 0 }, saved: { total: 0 } });
    const typed = await previewLevel(getDb(), { level, minutes: { not_picked: 60 } }, now);
    expect(typed).toMatchObject({ proposed: { total: 2, byStage: { not_picked: 2, not_shipped: 0 } }, saved: { total: 0 } });

    await saveThresholds("ops", thresholdsForm(`account:${t.accountId}`, { not_picked: "1 h" }));
    // Saved: the stored value counts; an empty field previews the override cleared.
    expect(await previewLevel(getDb(), { level, minutes: {} }, now)).toMatchObject({ proposed: { total: 2 }, saved: { total: 2 } });
    expect(await previewLevel(getDb(), { level, minutes: { not_picked: null } }, now)).toMatchObject({ proposed: { total: 0 }, saved: { total: 2 } });
  });
});
