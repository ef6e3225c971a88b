"use client";

import { useActionState, useId, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import { Badge } from "@/components/ui/badge";
import { fieldAria } from "@/components/ui/field";
import type { StateOf } from "@/lib/dashboard/action";
import { trialAction } from "./actions";

const OUTCOME: Record<string, { label: string; tone: "green" | "gray" | "amber" | "blue" }> = {
  won: { label: "Chose the warehouse", tone: "green" },
  skipped: { label: "Skipped", tone: "amber" },
  inactive: { label: "Inactive", tone: "gray" },
  not_reached: { label: "Not reached", tone: "blue" },
};

/** "Test this rule set": a destination and lines in, the winning warehouse and every rule's verdict out. Nothing is written. */
export function TrialForm({ account, env }: { account: string; env: string }) {
  const [state, run, pending] = useActionState<StateOf<typeof trialAction>, FormData>(trialAction, null);
  const id = useId();
  // Controlled, so the values stay after each run (a form action resets uncontrolled fields): ops tweak and re-run.
  const [values, setValues] = useState({ country: "AU", state: "", lines: "", tags: "" });
  const bind = (key: keyof typeof values) => ({ name: key, value: values[key], onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })) });
  const errors = state && !state.ok ? state.fieldErrors : {};
  const trial = state?.ok ? state.data : null;
  return (
    <div className="grid gap-4 p-4 lg:grid-cols-[minmax(0,22rem)_1fr]">
      <form action={run} className="grid gap-3" aria-label="Test this rule set">
        <input type="hidden" name="account" value={account} />
        <input type="hidden" name="env" value={env} />
        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor={`${id}-country`} className="field-label">
              Country
            </label>
            <input id={`${id}-country`} {...bind("country")} className="field-input font-mono" {...fieldAria(`${id}-country`, errors.country)} />
            {errors.country ? (
              <p id={`${id}-country-error`} className="mt-1 text-xs text-red-700">
                {errors.country}
              </p>
            ) : null}
          </div>
          <div>
            <label htmlFor={`${id}-state`} className="field-label">
              State
            </label>
            <input id={`${id}-state`} {...bind("state")} className="field-input font-mono" />
          </div>
        </div>
        <div>
          <label htmlFor={`${id}-lines`} className="field-label">
            Lines
          </label>
          <textarea id={`${id}-lines`} {...bind("lines")} rows={3} className="field-input font-mono" placeholder={"TEE-RED 2 19.95\nMUG 1"} {...fieldAria(`${id}-lines`, errors.lines, true)} />
          {errors.lines ? (
            <p id={`${id}-lines-error`} className="mt-1 text-xs text-red-700">
              {errors.lines}
            </p>
          ) : (
            <p id={`${id}-lines-hint`} className="mt-1 text-xs text-slate-500">
              One per line: SKU quantity [unit price]
            </p>
          )}
        </div>
        <div>
          <label htmlFor={`${id}-tags`} className="field-label">
            Tags
          </label>
          <input id={`${id}-tags`} {...bind("tags")} className="field-input" />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? "Testing…" : "Test rules"}
          </button>
          <ActionMessage state={state} success={() => null} />
        </div>
      </form>
      <div aria-live="polite">
        {trial ? (
          <div className="space-y-3" role="region" aria-label="Routing result">
            <p className="text-sm font-medium">{trial.winner ? `Winner: ${trial.winner.name}` : "No warehouse can take this order: it would go on hold."}</p>
            <ol className="space-y-2">
              {trial.verdicts.map((v) => (
                <li key={v.ruleId ?? "default"} className="rounded border border-slate-200 bg-white p-2 text-sm" aria-label={`Rule ${v.rule}`}>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{v.rule}</span>
                    {v.priority !== null ? <span className="text-xs text-slate-500">priority {v.priority}</span> : null}
                    <Badge tone={OUTCOME[v.outcome].tone}>{OUTCOME[v.outcome].label}</Badge>
                  </div>
                  <ul className="mt-1 list-disc pl-5 text-slate-700">
                    {v.details.map((d, i) => (
                      <li key={i}>
                        {d.warehouse ? `${d.warehouse}: ` : ""}
                        {d.result === "matched" ? "matched — " : ""}
                        {d.why}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          </div>
        ) : (
          <p className="text-sm text-slate-500">Runs the same routing the intake uses, on this account&apos;s live stock, rules and warehouse states. Nothing is saved.</p>
        )}
      </div>
    </div>
  );
}
