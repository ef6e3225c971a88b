"use client";

import { useActionState, useId, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import { Field, fieldAria } from "@/components/ui/field";
import { SecretOnce } from "@/components/ui/secret-once";
import type { DashboardRole } from "@/lib/auth/dashboard-users";
import type { StateOf } from "@/lib/dashboard/action";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { changeRoleAction, createUserAction, resetPasswordAction } from "./actions";

const ROLE_LABELS: Record<DashboardRole, string> = { support: "Support", warehouse: "Warehouse", ops: "Ops", admin: "Admin" };

function RoleOptions() {
  return ALL_ROLES.map((role) => (
    <option key={role} value={role}>
      {ROLE_LABELS[role]}
    </option>
  ));
}

/**
 * Adds a user: e-mail, name, role and a password, or none for a generated one shown once. The fields are controlled,
 * so what was typed stays when the server refuses it, each message under its field.
 */
export function CreateUserForm() {
  const [state, action, pending] = useActionState<StateOf<typeof createUserAction>, FormData>(createUserAction, null);
  const [draft, setDraft] = useState({ email: "", name: "", role: "support" as DashboardRole, password: "" });
  const [shown, setShown] = useState<StateOf<typeof createUserAction>>(null);
  const id = useId();
  const errors = state && !state.ok ? state.fieldErrors : {};
  // A created user empties the form for the next one; the generated password stays on screen until then.
  if (state !== shown) {
    setShown(state);
    if (state?.ok) setDraft({ email: "", name: "", role: "support", password: "" });
  }
  const set = (field: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  return (
    <form action={action} className="grid gap-3 p-4 md:grid-cols-2 lg:grid-cols-4" aria-label="Add a user" noValidate>
      <Field id={`${id}-email`} label="E-mail" error={errors.email}>
        <input id={`${id}-email`} name="email" type="email" value={draft.email} onChange={set("email")} className="field-input" autoComplete="off" required {...fieldAria(`${id}-email`, errors.email)} />
      </Field>
      <Field id={`${id}-name`} label="Name" error={errors.name} hint="Blank: the part of the e-mail before @">
        <input id={`${id}-name`} name="name" value={draft.name} onChange={set("name")} className="field-input" autoComplete="off" {...fieldAria(`${id}-name`, errors.name, true)} />
      </Field>
      <Field id={`${id}-role`} label="Role" error={errors.role}>
        <select id={`${id}-role`} name="role" value={draft.role} onChange={set("role")} className="field-input" {...fieldAria(`${id}-role`, errors.role)}>
          <RoleOptions />
        </select>
      </Field>
      <Field id={`${id}-password`} label="Initial password" error={errors.password} hint="Blank: one is generated and shown once">
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          value={draft.password}
          onChange={set("password")}
          className="field-input"
          autoComplete="new-password"
          {...fieldAria(`${id}-password`, errors.password, true)}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3 md:col-span-2 lg:col-span-4">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Adding…" : "Add user"}
        </button>
        <ActionMessage state={state} />
      </div>
      {state?.ok && state.data.password ? (
        <div className="md:col-span-2 lg:col-span-4">
          <SecretOnce label={`Password for ${state.data.email}`} value={state.data.password} note="Shown once: give it to them now. They can sign in with it straight away." />
        </div>
      ) : null}
    </form>
  );
}

/** The role select of one row, saved with its own button; the new role applies at the user's next request. */
export function RoleForm({ userId, email, role }: { userId: string; email: string; role: DashboardRole }) {
  const [state, action, pending] = useActionState<StateOf<typeof changeRoleAction>, FormData>(changeRoleAction, null);
  const [value, setValue] = useState(role);
  const id = useId();
  const error = state && !state.ok ? (state.fieldErrors.role ?? state.error) : undefined;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={userId} />
      <label htmlFor={`${id}-role`} className="sr-only">
        Role of {email}
      </label>
      <select id={`${id}-role`} name="role" value={value} onChange={(e) => setValue(e.target.value as DashboardRole)} className="field-input w-auto py-1" {...fieldAria(`${id}-role`, error)}>
        <RoleOptions />
      </select>
      <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending || value === role} aria-label={`Save the role of ${email}`}>
        {pending ? "…" : "Save"}
      </button>
      {error ? (
        <p id={`${id}-role-error`} role="alert" className="w-full max-w-xs text-xs text-red-700">
          {error}
        </p>
      ) : state?.ok ? (
        <p role="status" className="w-full max-w-xs text-xs text-emerald-800">
          {state.data.message}
        </p>
      ) : null}
    </form>
  );
}

/** Sets a generated password after a confirmation, shows it once, and ends the user's sessions. */
export function ResetPasswordButton({ userId, email }: { userId: string; email: string }) {
  const [state, action, pending] = useActionState<StateOf<typeof resetPasswordAction>, FormData>(resetPasswordAction, null);
  return (
    <div className="space-y-2">
      <form
        action={action}
        onSubmit={(e) => {
          if (!window.confirm(`Give ${email} a new password? Their current password stops working and they are signed out.`)) e.preventDefault();
        }}
      >
        <input type="hidden" name="id" value={userId} />
        <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={pending} aria-label={`Reset password of ${email}`}>
          {pending ? "…" : "Reset password"}
        </button>
      </form>
      {state?.ok && state.data.password ? (
        <SecretOnce label={`New password for ${email}`} value={state.data.password} note="Shown once. Their sessions have ended." />
      ) : (
        <ActionMessage state={state} small />
      )}
    </div>
  );
}
