"use client";

import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import type { StateOf } from "@/lib/dashboard/action";
import { parseCutoff } from "@/lib/stuck-orders/duration";
import { saveCutoffAction } from "./actions";

/** A warehouse's daily cut-off, a time of day in the warehouse's own zone; empty removes it. */
export function CutoffForm({ id, name, timezone, cutoffTime }: { id: string; name: string; timezone: string; cutoffTime: string | null }) {
  const [state, run, pending] = useActionState<StateOf<typeof saveCutoffAction>, FormData>(saveCutoffAction, null);
  const [value, setValue] = useState(cutoffTime ?? "");
  const checked = parseCutoff(value);
  const error = !checked.ok ? checked.error : state && !state.ok ? state.fieldErrors.cutoffTime : undefined;
  const inputId = `cutoff-${id}`;
  return (
    <form action={run} className="flex flex-wrap items-center gap-2" aria-label={`Daily cut-off of ${name}`}>
      <input type="hidden" name="warehouseId" value={id} />
      <label htmlFor={inputId} className="text-sm">
        Cut-off <span className="text-xs text-slate-600">({timezone})</span>
      </label>
      <input
        id={inputId}
        name="cutoffTime"
        type="time"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        className="field-input w-32"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${inputId}-error` : undefined}
      />
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending || !checked.ok} aria-label={`Save the cut-off of ${name}`}>
        {pending ? "Saving…" : "Save"}
      </button>
      {error ? (
        <span id={`${inputId}-error`} role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : (
        <ActionMessage state={state} small />
      )}
    </form>
  );
}
