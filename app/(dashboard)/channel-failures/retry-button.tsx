"use client";

import { useActionState } from "react";
import { retryPushAction, type RetryState } from "./actions";

export function RetryButton({ id, label }: { id: string; label: string }) {
  const [state, run, pending] = useActionState<RetryState, FormData>(retryPushAction, null);
  return (
    <form action={run} className="inline-flex flex-wrap items-center gap-2">
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
        <span role="alert" className="text-sm text-red-700">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
