import type { RoutingConditions } from "@/db/schema";

/** A routing rule as the form holds it: text as typed, warehouses as 1st, 2nd, … choice. */
export type RuleDraft = {
  id?: string;
  name: string;
  priority: string;
  active: boolean;
  countries: string;
  states: string;
  skus: string;
  tags: string;
  minOrderValue: string;
  maxOrderValue: string;
  warehouseIds: string[];
};

export type RuleValues = { name: string; priority: number; active: boolean; conditions: RoutingConditions; warehouse_ids: string[] };

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function amount(text: string): number | undefined | null {
  const t = text.trim();
  if (!t) return undefined;
  return /^\d{1,12}(\.\d{1,2})?$/.test(t) ? Number(t) : null;
}

/**
 * Reads and checks the form, the same way in the browser (as the user types) and on the server (before the
 * routing domain validates again): each problem is named by the field that holds it.
 */
export function readRuleDraft(d: RuleDraft): { values?: RuleValues; fieldErrors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = d.name.trim();
  if (!name) errors.name = "Name the rule.";
  else if (name.length > 200) errors.name = "At most 200 characters.";
  const priority = Number(d.priority);
  if (!/^\d{1,7}$/.test(d.priority.trim())) errors.priority = "A whole number; lower runs first.";
  const countries = list(d.countries).map((c) => c.toUpperCase());
  const badCountry = countries.find((c) => !/^[A-Z]{2}$/.test(c));
  if (badCountry) errors.countries = `'${badCountry}' is not a two-letter country code such as AU.`;
  const min = amount(d.minOrderValue);
  const max = amount(d.maxOrderValue);
  if (min === null) errors.minOrderValue = "An amount such as 50 or 49.95.";
  if (max === null) errors.maxOrderValue = "An amount such as 500.";
  if (typeof min === "number" && typeof max === "number" && min > max) errors.maxOrderValue = "Must not be below the minimum.";
  const warehouseIds = d.warehouseIds.filter(Boolean);
  if (!warehouseIds.length) errors.warehouseIds = "Choose at least one warehouse.";
  else if (new Set(warehouseIds).size !== warehouseIds.length) errors.warehouseIds = "A warehouse is chosen twice.";
  if (Object.keys(errors).length) return { fieldErrors: errors };
  const conditions: RoutingConditions = {};
  if (countries.length) conditions.countries = countries;
  const states = list(d.states).map((s) => s.toUpperCase());
  if (states.length) conditions.states = states;
  const skus = list(d.skus);
  if (skus.length) conditions.skus = skus;
  const tags = list(d.tags);
  if (tags.length) conditions.tags = tags;
  if (typeof min === "number") conditions.min_order_value = min;
  if (typeof max === "number") conditions.max_order_value = max;
  return { values: { name, priority, active: d.active, conditions, warehouse_ids: warehouseIds }, fieldErrors: {} };
}

export function draftOf(rule: { id: string; name: string; priority: number; active: boolean; conditions: RoutingConditions; warehouse_ids: string[] }): RuleDraft {
  const c = rule.conditions;
  return {
    id: rule.id,
    name: rule.name,
    priority: String(rule.priority),
    active: rule.active,
    countries: (c.countries ?? []).join(", "),
    states: (c.states ?? []).join(", "),
    skus: (c.skus ?? []).join(", "),
    tags: (c.tags ?? []).join(", "),
    minOrderValue: c.min_order_value === undefined ? "" : String(c.min_order_value),
    maxOrderValue: c.max_order_value === undefined ? "" : String(c.max_order_value),
    warehouseIds: rule.warehouse_ids,
  };
}

/** Where the routing domain's error field ("conditions.countries[1]", "warehouse_ids[0]") shows in the form, if anywhere. */
export function formFieldOf(apiField: string): string | undefined {
  if (apiField.startsWith("warehouse_ids")) return "warehouseIds";
  const map: Record<string, string> = { countries: "countries", states: "states", skus: "skus", tags: "tags", min_order_value: "minOrderValue", max_order_value: "maxOrderValue" };
  const key = apiField.replace(/^conditions\./, "").replace(/\[\d+\]$/, "");
  return map[key] ?? (key === "name" || key === "priority" ? key : undefined);
}
