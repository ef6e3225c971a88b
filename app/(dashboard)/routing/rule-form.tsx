"use client";

import { useActionState, useEffect, useId, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import { Field } from "@/components/ui/field";
import type { StateOf } from "@/lib/dashboard/action";
import { saveRuleAction } from "./actions";
import { readRuleDraft, type RuleDraft } from "./rule-input";

const ORDINALS = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th"];

/** Creates or edits a routing rule, checking each field as it is typed. */
export function RuleForm({
  account,
  env,
  initial,
  warehouses,
  onDone,
}: {
  account: string;
  env: string;
  initial: RuleDraft;
  warehouses: { id: string; name: string }[];
  onDone?: () => void;
}) {
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [state, action, pending] = useActionState<StateOf<typeof saveRuleAction>, FormData>(saveRuleAction, null);
  const base = useId();
  const ids = (k: string) => `${base}-${k}`;
  const { fieldErrors: local } = readRuleDraft(draft);
  const errors: Record<string, string> = state && !state.ok ? { ...state.fieldErrors } : {};
  for (const [key, message] of Object.entries(local)) if (touched[key] || touched.submit) errors[key] = message;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => {
    setTouched((t) => ({ ...t, [key]: true }));
    setDraft((d) => ({ ...d, [key]: value }));
  };
  useEffect(() => {
    if (state?.ok) onDone?.();
  }, [state, onDone]);
  const slots = Math.min(ORDINALS.length, Math.max(1, warehouses.length));
  const input = (key: keyof RuleDraft, extra: { placeholder?: string; mono?: boolean } = {}) => (
    <input
      id={ids(key)}
      name={key}
      value={String(draft[key] ?? "")}
      onChange={(e) => set(key, e.target.value as never)}
      className={`field-input ${extra.mono ? "font-mono" : ""}`}
      placeholder={extra.placeholder}
      aria-invalid={Boolean(errors[key])}
      aria-describedby={errors[key] ? `${ids(key)}-error` : undefined}
      autoComplete="off"
    />
  );

  return (
    <form
      action={action}
      onSubmit={(e) => {
        setTouched((t) => ({ ...t, submit: true }));
        if (Object.keys(local).length) e.preventDefault();
      }}
      aria-label={draft.id ? `Edit rule ${initial.name}` : "New routing rule"}
      className="grid gap-3 bg-slate-50 p-4 md:grid-cols-4"
      noValidate
    >
      <input type="hidden" name="account" value={account} />
      <input type="hidden" name="env" value={env} />
      {draft.id ? <input type="hidden" name="id" value={draft.id} /> : null}
      <Field id={ids("name")} label="Rule name" error={errors.name} className="md:col-span-2">
        {input("name")}
      </Field>
      <Field id={ids("priority")} label="Priority" error={errors.priority} hint="Lower runs first">
        {input("priority")}
      </Field>
      <div className="flex items-end pb-1">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="active" checked={draft.active} onChange={(e) => set("active", e.target.checked)} />
          Active
        </label>
      </div>
      <Field id={ids("countries")} label="Destination countries" error={errors.countries} hint="e.g. AU, NZ — empty: any">
        {input("countries", { mono: true })}
      </Field>
      <Field id={ids("states")} label="Destination states" error={errors.states} hint="e.g. NSW, VIC — empty: any">
        {input("states", { mono: true })}
      </Field>
      <Field id={ids("skus")} label="Any of these SKUs" error={errors.skus} hint="Empty: any">
        {input("skus", { mono: true })}
      </Field>
      <Field id={ids("tags")} label="Any of these tags" error={errors.tags} hint="Empty: any">
        {input("tags")}
      </Field>
      <Field id={ids("minOrderValue")} label="Order value from" error={errors.minOrderValue}>
        {input("minOrderValue", { placeholder: "0" })}
      </Field>
      <Field id={ids("maxOrderValue")} label="Order value up to" error={errors.maxOrderValue}>
        {input("maxOrderValue", { placeholder: "no limit" })}
      </Field>
      <fieldset className="md:col-span-2" aria-describedby={errors.warehouseIds ? `${ids("warehouseIds")}-error` : undefined}>
        <legend className="field-label">Warehouses, in order of preference</legend>
        <div className="flex flex-wrap gap-2">
          {Array.from({ length: slots }, (_, i) => (
            <label key={i} className="flex items-center gap-1 text-xs text-slate-600">
              {ORDINALS[i]}
              <select
                name="warehouseIds"
                className="field-input w-auto"
                value={draft.warehouseIds[i] ?? ""}
                aria-label={`${ORDINALS[i]} choice warehouse`}
                onChange={(e) => {
                  const next = [...draft.warehouseIds];
                  next[i] = e.target.value;
                  set("warehouseIds", next);
                }}
              >
                <option value="">—</option>
                {warehouses.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        {errors.warehouseIds ? (
          <p id={`${ids("warehouseIds")}-error`} className="mt-1 text-xs text-red-700">
            {errors.warehouseIds}
          </p>
        ) : null}
      </fieldset>
      <div className="flex flex-wrap items-center gap-2 md:col-span-4">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Saving…" : draft.id ? "Save rule" : "Create rule"}
        </button>
        {onDone ? (
          <button type="button" className="btn-secondary" onClick={onDone}>
            Cancel
          </button>
        ) : null}
        <ActionMessage state={state} />
      </div>
    </form>
  );
}
