"use server";

import { asc, and, eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { routingRules } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/dashboard";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { createRoutingRule, deleteRoutingRule, updateRoutingRule } from "@/lib/routing/rules";
import { setWarehouseAvailability } from "@/lib/routing/warehouses";
import { resolveScope } from "@/lib/sku-map/scope";
import { trialRoute, type TrialResult } from "./explain";
import { formFieldOf, readRuleDraft } from "./rule-input";

export type FormState<T = { message: string }> = { ok: true; data: T } | { ok: false; error: string; fieldErrors: Record<string, string> } | null;

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

const scopeOf = (form: FormData) => resolveScope(getDb(), text(form, "account"), text(form, "env"));

function refused(error: unknown): FormState {
  if (error instanceof ApiError && error.status < 500) {
    return { ok: false, error: "Fix the highlighted fields.", fieldErrors: { [formFieldOf(error.field)]: error.message } };
  }
  console.error("a routing change failed", error);
  return { ok: false, error: "Something went wrong; nothing was changed.", fieldErrors: {} };
}

/** Creates or edits a rule; the routing domain validates again (warehouses of the environment, value range). */
export async function saveRuleAction(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser(CHANNEL_OPS_ROLES);
  const scope = await scopeOf(form);
  if (!scope) return { ok: false, error: "Unknown account; reload the page.", fieldErrors: {} };
  const { values, fieldErrors } = readRuleDraft({
    name: text(form, "name"),
    priority: text(form, "priority"),
    active: form.get("active") === "on",
    countries: text(form, "countries"),
    states: text(form, "states"),
    skus: text(form, "skus"),
    tags: text(form, "tags"),
    minOrderValue: text(form, "minOrderValue"),
    maxOrderValue: text(form, "maxOrderValue"),
    warehouseIds: form.getAll("warehouseIds").map(String),
  });
  if (!values) return { ok: false, error: "Fix the highlighted fields.", fieldErrors };
  const id = text(form, "id");
  try {
    const saved = id ? await updateRoutingRule(getDb(), scope, id, values) : await createRoutingRule(getDb(), scope, values);
    revalidatePath("/routing");
    return { ok: true, data: { message: `${id ? "Saved" : "Created"} rule "${saved.name}".` } };
  } catch (error) {
    return refused(error);
  }
}

export async function deleteRuleAction(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser(CHANNEL_OPS_ROLES);
  const scope = await scopeOf(form);
  if (!scope) return { ok: false, error: "Unknown account; reload the page.", fieldErrors: {} };
  try {
    await deleteRoutingRule(getDb(), scope, text(form, "id"));
    revalidatePath("/routing");
    return { ok: true, data: { message: "Rule deleted." } };
  } catch (error) {
    return refused(error);
  }
}

/** Moves a rule one place up or down: the account's rules are renumbered 10, 20, 30… in the new order. */
export async function moveRuleAction(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser(CHANNEL_OPS_ROLES);
  const scope = await scopeOf(form);
  if (!scope) return { ok: false, error: "Unknown account; reload the page.", fieldErrors: {} };
  const id = text(form, "id");
  const step = text(form, "direction") === "up" ? -1 : 1;
  try {
    await inTransaction(getDb(), async (tx) => {
      const rows = await tx
        .select({ id: routingRules.id, priority: routingRules.priority })
        .from(routingRules)
        .where(and(eq(routingRules.accountId, scope.accountId), eq(routingRules.environment, scope.environment)))
        .orderBy(asc(routingRules.priority), asc(routingRules.id))
        .for("update");
      const from = rows.findIndex((r) => r.id === id);
      const to = from + step;
      if (from < 0 || to < 0 || to >= rows.length) return;
      [rows[from], rows[to]] = [rows[to], rows[from]];
      for (const [i, row] of rows.entries()) {
        if (row.priority !== (i + 1) * 10) await updateRoutingRule(tx, scope, row.id, { priority: (i + 1) * 10 });
      }
    });
    revalidatePath("/routing");
    return { ok: true, data: { message: "Order changed." } };
  } catch (error) {
    return refused(error);
  }
}

/** Pauses/resumes a warehouse and sets its daily capacity (the 3PL's warehouse: every account's routing sees it). */
export async function saveWarehouseAction(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser(CHANNEL_OPS_ROLES);
  const capacityText = text(form, "dailyCapacity").trim();
  if (capacityText && !/^\d{1,7}$/.test(capacityText)) return { ok: false, error: "Fix the highlighted fields.", fieldErrors: { dailyCapacity: "A whole number of orders per day, or empty for no limit." } };
  const environment = text(form, "env") === "live" ? "live" : "sandbox";
  const row = await setWarehouseAvailability(getDb(), environment, text(form, "id"), { paused: form.get("paused") === "on", dailyCapacity: capacityText ? Number(capacityText) : null });
  if (!row) return { ok: false, error: "This warehouse no longer exists; reload the page.", fieldErrors: {} };
  revalidatePath("/routing");
  return { ok: true, data: { message: `${row.name}: ${row.paused ? "paused" : "taking orders"}, ${row.dailyCapacity === null ? "no daily limit" : `${row.dailyCapacity} orders a day`}.` } };
}

/** "Test this rule set": which warehouse wins for a destination and lines, and why each rule matched or not. */
export async function trialAction(_previous: FormState<TrialResult>, form: FormData): Promise<FormState<TrialResult>> {
  await requireUser(CHANNEL_OPS_ROLES);
  const scope = await scopeOf(form);
  if (!scope) return { ok: false, error: "Unknown account; reload the page.", fieldErrors: {} };
  const fieldErrors: Record<string, string> = {};
  const country = text(form, "country").trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) fieldErrors.country = "A two-letter country code such as AU.";
  const lines: { sku: string; quantity: number; unitPrice: string | null }[] = [];
  for (const [i, raw] of text(form, "lines").split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s+(\d{1,6})(?:\s+(\d{1,10}(?:\.\d{1,4})?))?$/.exec(line);
    if (!m || Number(m[2]) < 1) {
      fieldErrors.lines = `Line ${i + 1}: write "SKU quantity [unit price]", e.g. TEE-RED 2 19.95.`;
      break;
    }
    lines.push({ sku: m[1], quantity: Number(m[2]), unitPrice: m[3] ?? null });
  }
  if (!lines.length && !fieldErrors.lines) fieldErrors.lines = "Give at least one line.";
  if (Object.keys(fieldErrors).length) return { ok: false, error: "Fix the highlighted fields.", fieldErrors };
  const tags = text(form, "tags")
    .split(/[\s,]+/)
    .filter(Boolean);
  const trial = await trialRoute(getDb(), scope, { country, state: text(form, "state").trim().toUpperCase() || null, tags, lines });
  if (!trial.ok) return { ok: false, error: "Fix the highlighted fields.", fieldErrors: trial.fieldErrors };
  return { ok: true, data: { winner: trial.winner, verdicts: trial.verdicts } };
}
