"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { WebhookActionState } from "@/app/(dashboard)/webhooks/actions";

type Action = (previous: WebhookActionState, form: FormData) => Promise<WebhookActionState>;

/** One button that runs a webhook server action and says what came of it, next to the button. */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  accessibleLabel,
  primary = false,
}: {
  action: Action;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  accessibleLabel?: string;
  primary?: boolean;
}) {
  const [state, run, pending] = useActionState<WebhookActionState, FormData>(action, null);
  return (
    <form action={run} className="inline-flex flex-wrap items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={primary ? "btn-primary" : "btn-secondary"} disabled={pending} aria-label={accessibleLabel}>
        {pending ? pendingLabel : label}
      </button>
      {state?.ok ? (
        <span role="status" className="text-sm text-emerald-700">
          {state.data.message}{" "}
          {state.data.href ? (
            <Link href={state.data.href} className="link">
              View
            </Link>
          ) : null}
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
