import type { RoutingConditions } from "@/db/schema";

/** The order as routing sees it. Lines name the account SKU (and its internal id, for stock lookups). */
export type RoutingInput = {
  country: string;
  state?: string | null;
  lines: { skuId: string; sku: string; quantity: number; unitPrice?: string | null }[];
  tags?: string[];
};

export type RuleFacts = {
  id: string;
  name: string;
  priority: number;
  active: boolean;
  conditions: RoutingConditions;
  warehouseIds: string[];
};

export type WarehouseFacts = {
  id: string;
  name: string;
  /** Lower first, for the no-rules fallback. */
  priority: number;
  paused: boolean;
  /** Orders per local day; null = unlimited. */
  dailyCapacity: number | null;
  routedToday: number;
  /** Units available (on_hand − allocated) per SKU id at this warehouse. */
  available: Record<string, number>;
  /** Whether the account keeps any stock here: the no-rules fallback only considers these. */
  holdsAccountStock: boolean;
  /** Why the caller rules this warehouse out for this order (it just took the order's stock back), if it does. */
  ruledOut?: string;
};

export type RoutingFacts = { rules: RuleFacts[]; warehouses: WarehouseFacts[] };

export type RoutingReason = {
  /** The rule's name, or "default" for the no-rules fallback. */
  rule: string;
  rule_id: string | null;
  warehouse_id?: string;
  result: "matched" | "skipped";
  why: string;
};

export type RoutingDecision = { warehouseId: string | null; reasons: RoutingReason[] };

/** Σ quantity × unit_price, in cents to stay exact; lines without a price count as zero. */
export function orderValue(lines: RoutingInput["lines"]): number {
  let cents = 0;
  for (const line of lines) {
    if (!line.unitPrice) continue;
    cents += Math.round(Number(line.unitPrice) * 100) * line.quantity;
  }
  return cents / 100;
}

/** Why the rule's conditions do not hold for this order, or null when they all hold. */
export function conditionMismatch(conditions: RoutingConditions, input: RoutingInput): string | null {
  const c = conditions;
  if (c.countries?.length && !c.countries.some((x) => x.toUpperCase() === input.country.toUpperCase())) {
    return `destination country ${input.country} is not one of ${c.countries.join(", ")}`;
  }
  if (c.states?.length) {
    const state = (input.state ?? "").toUpperCase();
    if (!c.states.some((s) => s.toUpperCase() === state)) return `destination state ${input.state || "(none)"} is not one of ${c.states.join(", ")}`;
  }
  if (c.skus?.length) {
    const skus = new Set(input.lines.map((l) => l.sku));
    if (!c.skus.some((s) => skus.has(s))) return `no line has one of the SKUs ${c.skus.join(", ")}`;
  }
  if (c.tags?.length) {
    const tags = new Set(input.tags ?? []);
    if (!c.tags.some((t) => tags.has(t))) return `the order has none of the tags ${c.tags.join(", ")}`;
  }
  const value = orderValue(input.lines);
  if (c.min_order_value !== undefined && c.min_order_value !== null && value < c.min_order_value) {
    return `order value ${value.toFixed(2)} is below ${c.min_order_value}`;
  }
  if (c.max_order_value !== undefined && c.max_order_value !== null && value > c.max_order_value) {
    return `order value ${value.toFixed(2)} is above ${c.max_order_value}`;
  }
  return null;
}

/** Units needed per SKU id (two lines of one SKU need their sum). */
export function neededBySku(lines: RoutingInput["lines"]): Map<string, { sku: string; quantity: number }> {
  const out = new Map<string, { sku: string; quantity: number }>();
  for (const line of lines) {
    const prev = out.get(line.skuId);
    out.set(line.skuId, { sku: line.sku, quantity: (prev?.quantity ?? 0) + line.quantity });
  }
  return out;
}

/** Why this warehouse cannot take the order, or null when it can. */
export function warehouseIneligibility(warehouse: WarehouseFacts, input: RoutingInput): string | null {
  if (warehouse.ruledOut) return warehouse.ruledOut;
  if (warehouse.paused) return "warehouse is paused";
  if (warehouse.dailyCapacity !== null && warehouse.routedToday >= warehouse.dailyCapacity) {
    return `warehouse is at its daily capacity (${warehouse.routedToday}/${warehouse.dailyCapacity} orders today)`;
  }
  const short: string[] = [];
  for (const [skuId, need] of neededBySku(input.lines)) {
    const have = warehouse.available[skuId] ?? 0;
    if (have < need.quantity) short.push(`${need.sku} (needs ${need.quantity}, ${have} available)`);
  }
  return short.length ? `lacks stock for ${short.join(", ")}` : null;
}

/**
 * Chooses the warehouse for an order. Pure: everything it knows is in `facts`, so every decision can be
 * replayed and explained. Active rules run in priority order; within a rule its warehouses run in the rule's
 * order; the first warehouse that is not paused, not over capacity and has stock for every line wins. With no
 * active rules, the warehouses holding the account's stock run in warehouse priority order. Every warehouse
 * or rule passed over leaves a reason.
 */
export function routeOrder(input: RoutingInput, facts: RoutingFacts): RoutingDecision {
  const reasons: RoutingReason[] = [];
  const warehouses = new Map(facts.warehouses.map((w) => [w.id, w]));
  const rules = facts.rules.filter((r) => r.active).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));

  const tryWarehouses = (rule: { name: string; id: string | null }, ids: string[]): string | null => {
    for (const id of ids) {
      const warehouse = warehouses.get(id);
      const why = warehouse ? warehouseIneligibility(warehouse, input) : "warehouse no longer exists";
      if (why) {
        reasons.push({ rule: rule.name, rule_id: rule.id, warehouse_id: id, result: "skipped", why });
        continue;
      }
      reasons.push({ rule: rule.name, rule_id: rule.id, warehouse_id: id, result: "matched", why: `${warehouse?.name ?? id} has stock for every line` });
      return id;
    }
    return null;
  };

  if (rules.length) {
    for (const rule of rules) {
      const mismatch = conditionMismatch(rule.conditions, input);
      if (mismatch) {
        reasons.push({ rule: rule.name, rule_id: rule.id, result: "skipped", why: mismatch });
        continue;
      }
      const chosen = tryWarehouses({ name: rule.name, id: rule.id }, rule.warehouseIds);
      if (chosen) return { warehouseId: chosen, reasons };
      if (!rule.warehouseIds.length) reasons.push({ rule: rule.name, rule_id: rule.id, result: "skipped", why: "rule lists no warehouses" });
    }
    return { warehouseId: null, reasons };
  }

  const fallback = facts.warehouses
    .filter((w) => w.holdsAccountStock)
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1))
    .map((w) => w.id);
  if (!fallback.length) {
    reasons.push({ rule: "default", rule_id: null, result: "skipped", why: "no warehouse holds stock of this account" });
    return { warehouseId: null, reasons };
  }
  return { warehouseId: tryWarehouses({ name: "default", id: null }, fallback), reasons };
}

/** One line for the timeline: what was chosen and why the others were passed over. */
export function describeDecision(decision: RoutingDecision, names: Map<string, string>): string {
  const name = (id?: string) => (id ? (names.get(id) ?? id) : "");
  const skipped = decision.reasons
    .filter((r) => r.result === "skipped")
    .map((r) => (r.warehouse_id ? `${name(r.warehouse_id)} (${r.rule}): ${r.why}` : `rule ${r.rule}: ${r.why}`));
  const matched = decision.reasons.find((r) => r.result === "matched");
  const head = matched
    ? `Routed to ${name(matched.warehouse_id)} ${matched.rule_id ? `by rule "${matched.rule}"` : "(no routing rules: first warehouse with stock for every line)"}.`
    : "No eligible warehouse.";
  return skipped.length ? `${head} Skipped: ${skipped.join("; ")}.` : head;
}
