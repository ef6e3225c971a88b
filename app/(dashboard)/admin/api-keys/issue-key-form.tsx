"use client";

import { useActionState, useId, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import { Field, fieldAria } from "@/components/ui/field";
import { SecretOnce } from "@/components/ui/secret-once";
import type { StateOf } from "@/lib/dashboard/action";
import { issueKeyAction } from "./actions";

/**
 * Issues an API key for an account (an existing one, or a new name to create it) and shows the key once, with a
 * copy button: only its hash is kept, so it cannot be shown again.
 */
export function IssueKeyForm({ accounts, account }: { accounts: string[]; account: string }) {
  const [state, action, pending] = useActionState<StateOf<typeof issueKeyAction>, FormData>(issueKeyAction, null);
  // Controlled, so what was chosen stays when the server refuses it.
  const [draft, setDraft] = useState({ account, environment: "sandbox", role: "partner" });
  const id = useId();
  const errors = state && !state.ok ? state.fieldErrors : {};
  const set = (field: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  return (
    <form action={action} className="grid gap-3 p-4 md:grid-cols-3" aria-label="Issue an API key" noValidate>
      <Field id={`${id}-account`} label="Account" error={errors.account} hint="An existing account, or a new name to create it">
        <input
          id={`${id}-account`}
          name="account"
          value={draft.account}
          onChange={set("account")}
          list={`${id}-accounts`}
          className="field-input"
          autoComplete="off"
          required
          {...fieldAria(`${id}-account`, errors.account, true)}
        />
        <datalist id={`${id}-accounts`}>
          {accounts.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </Field>
      <Field id={`${id}-environment`} label="Environment" error={errors.environment}>
        <select id={`${id}-environment`} name="environment" value={draft.environment} onChange={set("environment")} className="field-input" {...fieldAria(`${id}-environment`, errors.environment)}>
          <option value="sandbox">Sandbox (wms_test_…)</option>
          <option value="live">Live (wms_live_…)</option>
        </select>
      </Field>
      <Field id={`${id}-role`} label="Role" error={errors.role}>
        <select id={`${id}-role`} name="role" value={draft.role} onChange={set("role")} className="field-input" {...fieldAria(`${id}-role`, errors.role)}>
          <option value="partner">Partner (orders, feeds)</option>
          <option value="warehouse">Warehouse (warehouse events)</option>
        </select>
      </Field>
      <div className="flex flex-wrap items-center gap-3 md:col-span-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Issuing…" : "Issue key"}
        </button>
        <ActionMessage state={state} />
      </div>
      {state?.ok ? (
        <div className="md:col-span-3">
          <SecretOnce label={`New key ${state.data.prefix}…`} value={state.data.key} note="Shown once: copy it now into the partner's configuration. Only its hash is kept, so it cannot be shown again." />
        </div>
      ) : null}
    </form>
  );
}
