"use client";

import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import type { StateOf } from "@/lib/dashboard/action";
import { saveWarehouseAction } from "./actions";

/** A warehouse's pause switch and daily capacity, saved together. */
export function WarehouseForm({ id, env, name, paused, dailyCapacity }: { id: string; env: string; name: string; paused: boolean; dailyCapacity: number | null }) {
  const [state, run, pending] = useActionState<StateOf<typeof saveWarehouseAction>, FormData>(saveWarehouseAction, null);
  const [isPaused, setPaused] = useState(paused);
  const [capacity, setCapacity] = useState(dailyCapacity === null ? "" : String(dailyCapacity));
  const error = state && !state.ok ? state.fieldErrors.dailyCapacity : undefined;
  const errorId = `warehouse-${id}-error`;
  return (
    <form action={run} className="flex flex-wrap items-center gap-3" aria-label={`Availability of ${name}`}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="env" value={env} />
      <label className="flex items-center gap-1.5 text-sm">
        <input type="checkbox" name="paused" checked={isPaused} onChange={(e) => setPaused(e.target.checked)} /> Paused
      </label>
      <label className="flex items-center gap-1.5 text-sm">
        Daily capacity
        <input name="dailyCapacity" value={capacity} onChange={(e) => setCapacity(e.target.value)} placeholder="no limit" className="field-input w-24" inputMode="numeric" aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
      </label>
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending} aria-label={`Save ${name}`}>
        {pending ? "Saving…" : "Save"}
      </button>
      {error ? (
        <span id={errorId} role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : (
        <ActionMessage state={state} small />
      )}
    </form>
  );
}
