"use client";

import clsx from "clsx";
import Link from "next/link";
import { useActionState } from "react";
import type { ActionState, FormAction } from "@/lib/dashboard/action";

const LOOK = { primary: "btn-primary", secondary: "btn-secondary", small: "btn-secondary px-2 py-0.5 text-xs" } as const;

/**
 * One button that runs a dashboard action on the row or page it sits in (retry, replay, verify, move…) and says
 * what came of it beside the button: a status on success (with a link when the action gives one), an alert when
 * refused or when what it did did not work (`failed`: a retry that committed, but still fails). With `once`, it stays disabled after it has worked, so a second click cannot queue the same thing twice.
 */
export function ActionButton<T extends { message: string; href?: string; failed?: boolean }>({
  action,
  fields,
  label,
  pendingLabel = "…",
  accessibleLabel,
  look = "secondary",
  confirm,
  once = false,
}: {
  action: FormAction<T>;
  /** The hidden inputs the action reads (ids, scope). */
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  /** The accessible name when the label alone does not say which row it acts on. */
  accessibleLabel?: string;
  look?: keyof typeof LOOK;
  /** Asks before running (deletes). */
  confirm?: string;
  once?: boolean;
}) {
  const [state, run, pending] = useActionState<ActionState<T>, FormData>(action, null);
  // Its inputs are hidden: a message about one of them has nowhere else to show.
  const error = state && !state.ok ? (Object.values(state.fieldErrors)[0] ?? state.error) : state?.data.failed ? state.data.message : null;
  return (
    <form
      action={run}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
      className="inline-flex flex-wrap items-center gap-x-2 gap-y-1"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={LOOK[look]} disabled={pending || (once && state?.ok === true && !state.data.failed)} aria-label={accessibleLabel}>
        {pending ? pendingLabel : label}
      </button>
      {state?.ok && !state.data.failed ? (
        <span role="status" className={clsx("max-w-xs text-emerald-700", look === "small" ? "text-xs" : "text-sm")}>
          {state.data.message}{" "}
          {state.data.href ? (
            <Link href={state.data.href} className="link">
              View
            </Link>
          ) : null}
        </span>
      ) : null}
      {error ? (
        <span role="alert" className={clsx("max-w-xs text-red-700", look === "small" ? "text-xs" : "text-sm")}>
          {error}
        </span>
      ) : null}
    </form>
  );
}
