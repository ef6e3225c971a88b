"use client";

import { useActionState } from "react";
import { retryEventAction, type RetryEventState } from "./actions";

export function RetryEventButton({ id, label }: { id: string; label: string }) {
  const [state, run, pending] = useActionState<RetryEventState, FormData>(retryEventAction, null);
  return (
    <form action={run} className="flex flex-col items-start gap-1">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn-secondary" disabled={pending || state?.ok === true} aria-label={label}>
        {pending ? "Retrying…" : "Retry"}
      </button>
      {state?.ok ? (
        <span role="status" className="text-sm text-emerald-700">
          {state.data.message}
        </span>
      ) : null}
      {state && !state.ok ? (
        <span role="alert" className="max-w-xs text-sm text-red-700">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
