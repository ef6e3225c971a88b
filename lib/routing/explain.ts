import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { skus } from "@/db/schema";
import type { Tenant } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { routeOrder, type RoutingReason } from "./engine";
import { loadRoutingFacts } from "./facts";
import { listRoutingRules } from "./rules";

export type TrialInput = { country: string; state: string | null; tags: string[]; lines: { sku: string; quantity: number; unitPrice: string | null }[] };

export type RuleVerdict = {
  ruleId: string | null;
  rule: string;
  priority: number | null;
  outcome: "won" | "skipped" | "inactive" | "not_reached";
  details: { warehouse: string | null; result: RoutingReason["result"]; why: string }[];
};

export type TrialResult = { winner: { id: string; name: string } | null; verdicts: RuleVerdict[] };

/**
 * Runs the pure routing engine on a made-up order with the account's live facts (rules, warehouses, stock,
 * today's counts) and explains, rule by rule in priority order, why each matched, was skipped, or was never
 * reached. Nothing is written. Lines naming SKUs the account does not have are refused on `lines`.
 */
export async function trialRoute(db: DbOrTx, ctx: Tenant, input: TrialInput): Promise<TrialResult> {
  const codes = [...new Set(input.lines.map((l) => l.sku))];
  const found = codes.length
    ? await db
        .select({ id: skus.id, sku: skus.sku })
        .from(skus)
        .where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment), inArray(skus.sku, codes)))
    : [];
  const idOf = new Map(found.map((s) => [s.sku, s.id]));
  const unknown = codes.filter((c) => !idOf.has(c));
  if (unknown.length) throw new ValidationError(`Not SKUs of this account: ${unknown.join(", ")}.`, "lines");

  const [facts, rules] = await Promise.all([loadRoutingFacts(db, ctx, [...idOf.values()]), listRoutingRules(db, ctx)]);
  const decision = routeOrder(
    { country: input.country, state: input.state, tags: input.tags, lines: input.lines.map((l) => ({ skuId: idOf.get(l.sku) as string, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })) },
    facts,
  );
  const names = new Map(facts.warehouses.map((w) => [w.id, w.name]));
  const detail = (r: RoutingReason) => ({ warehouse: r.warehouse_id ? (names.get(r.warehouse_id) ?? r.warehouse_id) : null, result: r.result, why: r.why });
  const winnerRule = decision.reasons.find((r) => r.result === "matched")?.rule_id ?? null;
  const verdicts: RuleVerdict[] = rules.map((rule) => {
    const mine = decision.reasons.filter((r) => r.rule_id === rule.id);
    if (!rule.active) return { ruleId: rule.id, rule: rule.name, priority: rule.priority, outcome: "inactive", details: [{ warehouse: null, result: "skipped", why: "the rule is switched off" }] };
    if (!mine.length) return { ruleId: rule.id, rule: rule.name, priority: rule.priority, outcome: "not_reached", details: [{ warehouse: null, result: "skipped", why: "an earlier rule already chose a warehouse" }] };
    return { ruleId: rule.id, rule: rule.name, priority: rule.priority, outcome: winnerRule === rule.id && decision.warehouseId ? "won" : "skipped", details: mine.map(detail) };
  });
  const fallback = decision.reasons.filter((r) => r.rule_id === null);
  if (fallback.length) {
    verdicts.push({ ruleId: null, rule: "No rules: warehouses in priority order", priority: null, outcome: decision.warehouseId && !winnerRule ? "won" : "skipped", details: fallback.map(detail) });
  }
  return { winner: decision.warehouseId ? { id: decision.warehouseId, name: names.get(decision.warehouseId) ?? decision.warehouseId } : null, verdicts };
}
