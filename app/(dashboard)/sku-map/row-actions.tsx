"use client";

import { useActionState } from "react";
import { mappingRowAction, type RowActionState } from "./actions";

/** One button that acts on one mapping row (verify, activate, deactivate). */
export function RowAction({ id, account, env, op, label, children }: { id: string; account: string; env: string; op: "verify" | "activate" | "deactivate"; label: string; children: string }) {
  const [state, run, pending] = useActionState<RowActionState, FormData>(mappingRowAction, null);
  return (
    <form action={run} className="inline-flex items-center gap-1">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="account" value={account} />
      <input type="hidden" name="env" value={env} />
      <input type="hidden" name="op" value={op} />
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending} aria-label={label}>
        {pending ? "…" : children}
      </button>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
