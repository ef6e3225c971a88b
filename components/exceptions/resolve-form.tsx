"use client";

import { useActionState, useId, useState } from "react";
import { resolveExceptionAction } from "@/app/(dashboard)/exceptions/actions";
import type { StateOf } from "@/lib/dashboard/action";

export function ResolveForm({ exceptionId, label }: { exceptionId: string; label: string }) {
  const [state, action, pending] = useActionState<StateOf<typeof resolveExceptionAction>, FormData>(resolveExceptionAction, null);
  const [open, setOpen] = useState(false);
  const noteId = useId();
  if (state?.ok) {
    return (
      <p role="status" className="text-sm font-medium text-emerald-700">
        Resolved <span className="font-normal text-slate-500">· noted on the order&apos;s timeline</span>
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" className="btn-secondary" onClick={() => setOpen(true)} aria-label={`Resolve: ${label}`}>
        Resolve…
      </button>
    );
  }
  return (
    <form action={action} className="flex min-w-64 flex-col gap-2">
      <input type="hidden" name="exceptionId" value={exceptionId} />
      <label htmlFor={noteId} className="field-label">
        What was done (goes on the order&apos;s timeline)
      </label>
      <textarea
        id={noteId}
        name="note"
        rows={2}
        maxLength={1000}
        autoFocus
        className="field-input"
        placeholder="e.g. Stock moved from Melbourne; re-routed."
        aria-invalid={state?.ok === false && Boolean(state.fieldErrors.note)}
        aria-describedby={state?.ok === false ? `${noteId}-error` : undefined}
      />
      {state && !state.ok ? (
        <p id={`${noteId}-error`} role="alert" className="text-sm text-red-700">
          {state.fieldErrors.note ?? state.error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Resolving…" : "Mark resolved"}
        </button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
