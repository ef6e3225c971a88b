"use client";

import { useActionState } from "react";
import { retryDeliveryAction, type ShopFormState } from "./actions";

export function RetryDeliveryButton({ id, label }: { id: string; label: string }) {
  const [state, run, pending] = useActionState<ShopFormState, FormData>(retryDeliveryAction, null);
  return (
    <form action={run} className="flex flex-col items-start gap-1">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending || state?.ok === true} aria-label={label}>
        {pending ? "Retrying…" : "Retry"}
      </button>
      {state ? (
        <span role={state.ok ? "status" : "alert"} className={`text-xs ${state.ok ? "text-emerald-700" : "text-red-700"}`}>
          {state.ok ? state.data.message : state.error}
        </span>
      ) : null}
    </form>
  );
}
