"use client";

import { useActionState } from "react";

/** What a retry server action answers: a sentence to show, or why it did not retry. */
export type RetryOutcome = { ok: true; data: { message: string } } | { ok: false; error: string };

/**
 * A dead letter's Retry button (failed warehouse events, channel failures): runs the action for one id, stays
 * disabled once it has worked so a second click cannot queue the same thing twice, and says what came of it.
 */
export function RetryButton<S extends RetryOutcome>({
  action,
  id,
  label,
}: {
  action: (previous: S | null, form: FormData) => Promise<S | null>;
  id: string;
  /** The accessible name: which row this button retries. */
  label: string;
}) {
  const [state, run, pending] = useActionState<S | null, FormData>(action, null);
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
