"use client";

import { useActionState, useCallback, useState } from "react";
import { Badge } from "@/components/ui/badge";
import type { RoutingConditions } from "@/db/schema";
import { deleteRuleAction, moveRuleAction, type FormState } from "./actions";
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

function RowButton({ action, fields, label, children, confirm }: { action: typeof moveRuleAction; fields: Record<string, string>; label: string; children: string; confirm?: string }) {
  const [state, run, pending] = useActionState<FormState, FormData>(action, null);
  return (
    <form
      action={run}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
      className="inline"
    >
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending} aria-label={label}>
        {children}
      </button>
      {state && !state.ok ? (
        <span role="alert" className="ml-1 text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

/** The account's rules in the order routing runs them, each editable in place, movable, deletable. */
export function RulesTable({ account, env, rules, warehouses }: { account: string; env: string; rules: RuleRow[]; warehouses: { id: string; name: string }[] }) {
  const [editing, setEditing] = useState<string | null>(null);
  const done = useCallback(() => setEditing(null), []);
  const name = new Map(warehouses.map((w) => [w.id, w.name]));
  return (
    <table className="table-dense" aria-label="Routing rules">
      <thead>
        <tr>
          <th scope="col">Priority</th>
          <th scope="col">Rule</th>
          <th scope="col">Matches</th>
          <th scope="col">Warehouses</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r, i) =>
          editing === r.id ? (
            <tr key={r.id}>
              <td colSpan={5} className="p-0">
                <RuleForm account={account} env={env} initial={draftOf(r)} warehouses={warehouses} onDone={done} />
              </td>
            </tr>
          ) : (
            <tr key={r.id}>
              <td className="font-mono">{r.priority}</td>
              <td>
                <span className="font-medium">{r.name}</span> {r.active ? null : <Badge tone="gray">Inactive</Badge>}
              </td>
              <td className="text-slate-700">{conditionsText(r.conditions)}</td>
              <td>{r.warehouse_ids.map((id) => name.get(id) ?? id).join(" → ")}</td>
              <td>
                <div className="flex flex-wrap items-center gap-1">
                  <button type="button" className="btn-secondary px-2 py-0.5 text-xs" onClick={() => setEditing(r.id)} aria-label={`Edit rule ${r.name}`}>
                    Edit
                  </button>
                  {i > 0 ? (
                    <RowButton action={moveRuleAction} fields={{ account, env, id: r.id, direction: "up" }} label={`Move rule ${r.name} up`}>
                      ↑
                    </RowButton>
                  ) : null}
                  {i < rules.length - 1 ? (
                    <RowButton action={moveRuleAction} fields={{ account, env, id: r.id, direction: "down" }} label={`Move rule ${r.name} down`}>
                      ↓
                    </RowButton>
                  ) : null}
                  <RowButton action={deleteRuleAction} fields={{ account, env, id: r.id }} label={`Delete rule ${r.name}`} confirm={`Delete the rule "${r.name}"?`}>
                    Delete
                  </RowButton>
                </div>
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
