/**
 * Why the domain refused: the same names the API answers with (lib/api maps each to its status), so a code means
 * one thing wherever it is read.
 */
export type DomainErrorCode =
  | "not_found"
  | "validation_error"
  // The request conflicts with the current state of what it names.
  | "already_shipped"
  | "picking_started"
  | "too_late_to_amend"
  | "version_conflict"
  | "duplicate_reference"
  | "idempotency_in_progress"
  // A reference or a change this account cannot make.
  | "unknown_sku"
  | "invalid_warehouse"
  | "invalid_shipping_method"
  | "idempotency_key_reused"
  | "warehouse_change_not_allowed";

/**
 * A refusal of the domain, worded for the person who sent the input and thrown before anything is written: the
 * code to act on, the input field it concerns (as the verb names it: `items[1].sku`, `rawStatus`), and the facts
 * that explain it (`order_status`, `current_version`). It knows nothing of HTTP or forms: the API answers it as
 * its error envelope, the dashboard as form errors.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super("not_found", `${what} '${truncate(id)}' was not found.`);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, field?: string, details: Record<string, unknown> = {}) {
    super("validation_error", message, field, details);
  }
}

/** Input checked whole (a form): every field that is wrong, each with its message; the first is the error's own. */
export class InvalidFieldsError extends ValidationError {
  constructor(readonly fieldErrors: Record<string, string>) {
    const [field, message] = Object.entries(fieldErrors)[0] ?? [undefined, "The input is not valid."];
    super(message, field);
  }
}

/** Keeps hostile or huge input out of messages while still naming it. */
export function truncate(value: string, max = 64): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
