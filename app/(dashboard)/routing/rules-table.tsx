"use client";

import { useCallback, useState } from "react";
import { ActionButton } from "@/components/action-button";
import { Badge } from "@/components/ui/badge";
import { Table } from "@/components/ui/table";
import type { RoutingConditions } from "@/db/schema";
import { deleteRuleAction, moveRuleAction } from "./actions";
import { RuleForm } from "./rule-form";
import { draftOf } from "./rule-input";

export type RuleRow = { id: string; name: string; priority: number; active: boolean; conditions: RoutingConditions; warehouse_ids: string[] };

function conditionsText(c: RoutingConditions): string {
  const parts: string[] = [];
  if (c.countries?.length) parts.push(`to ${c.countries.join(", ")}`);
  if (c.states?.length) parts.push(`states ${c.states.join(", ")}`);
  if (c.skus?.length) parts.push(`SKUs ${c.skus.join(", ")}`);
  if (c.tags?.length) parts.push(`tags ${c.tags.join(", ")}`);
  if (c.min_order_value !== undefined) parts.push(`value ≥ ${c.min_order_value}`);
  if (c.max_order_value !== undefined) parts.push(`value ≤ ${c.max_order_value}`);
  return parts.join("; ") || "every order";
}

/** The account's rules in the order routing runs them, each editable in place, movable, deletable. */
export function RulesTable({ account, env, rules, warehouses }: { account: string; env: string; rules: RuleRow[]; warehouses: { id: string; name: string }[] }) {
  const [editing, setEditing] = useState<string | null>(null);
  const done = useCallback(() => setEditing(null), []);
  const name = new Map(warehouses.map((w) => [w.id, w.name]));
  return (
    <Table
      label="Routing rules"
      rows={rules}
      rowKey={(r) => r.id}
      empty={{ title: "No routing rules", body: "Orders go to the first warehouse, in priority order, that has stock for every line." }}
      expanded={(r) => (editing === r.id ? <RuleForm account={account} env={env} initial={draftOf(r)} warehouses={warehouses} onDone={done} /> : null)}
      columns={[
        { header: "Priority", className: "font-mono", cell: (r) => r.priority },
        {
          header: "Rule",
          cell: (r) => (
            <>
              <span className="font-medium">{r.name}</span> {r.active ? null : <Badge tone="gray">Inactive</Badge>}
            </>
          ),
        },
        { header: "Matches", className: "text-slate-700", cell: (r) => conditionsText(r.conditions) },
        { header: "Warehouses", cell: (r) => r.warehouse_ids.map((id) => name.get(id) ?? id).join(" → ") },
        {
          header: "Actions",
          cell: (r) => {
            const i = rules.indexOf(r);
            return (
              <div className="flex flex-wrap items-center gap-1">
                <button type="button" className="btn-secondary px-2 py-0.5 text-xs" onClick={() => setEditing(r.id)} aria-label={`Edit rule ${r.name}`}>
                  Edit
                </button>
                {i > 0 ? <ActionButton action={moveRuleAction} fields={{ account, env, id: r.id, direction: "up" }} label="↑" accessibleLabel={`Move rule ${r.name} up`} look="small" /> : null}
                {i < rules.length - 1 ? (
                  <ActionButton action={moveRuleAction} fields={{ account, env, id: r.id, direction: "down" }} label="↓" accessibleLabel={`Move rule ${r.name} down`} look="small" />
                ) : null}
                <ActionButton
                  action={deleteRuleAction}
                  fields={{ account, env, id: r.id }}
                  label="Delete"
                  accessibleLabel={`Delete rule ${r.name}`}
                  look="small"
                  confirm={`Delete the rule "${r.name}"?`}
                />
              </div>
            );
          },
        },
      ]}
    />
  );
}
