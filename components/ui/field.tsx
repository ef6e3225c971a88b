import type { ReactNode } from "react";

/**
 * A labelled form field with its hint or its error underneath. The error's id is `${id}-error`, for the input's
 * aria-describedby.
 */
export function Field({ id, label, error, hint, children, className }: { id: string; label: string; error?: string; hint?: string; children: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {error ? (
        // An alert, so a screen reader says what is wrong when the error appears after a submit, not only on focus.
        <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The input's half of a Field: marked invalid, and described by its error (or else its hint), for screen readers. */
export function fieldAria(id: string, error: string | undefined, hasHint = false) {
  return { "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : hasHint ? `${id}-hint` : undefined };
}

export type Choice = { value: string; label: string };

/** A labelled select of fixed choices, for the plain GET filter forms (submitted as `name`, preset to `defaultValue`). */
export function SelectField({ id, name, label, choices, defaultValue, className }: { id: string; name: string; label: string; choices: Choice[]; defaultValue?: string; className?: string }) {
  return (
    <Field id={id} label={label} className={className}>
      <select id={id} name={name} defaultValue={defaultValue} className="field-input">
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
