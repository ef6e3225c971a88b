/** Every error code of the API and its HTTP status: the one table handlers and tests rely on. */
export const errorStatus = {
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  sandbox_only: 403,
  not_found: 404,
  method_not_allowed: 405,
  already_shipped: 409,
  picking_started: 409,
  too_late_to_amend: 409,
  version_conflict: 409,
  duplicate_reference: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  unknown_sku: 422,
  invalid_warehouse: 422,
  invalid_shipping_method: 422,
  idempotency_key_reused: 422,
  warehouse_change_not_allowed: 422,
  rate_limited: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** A failure the client caused or must react to; rendered as the error envelope. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string, id: string) {
    super("not_found", `${what} '${truncate(id)}' was not found.`);
  }
}

export class ValidationError extends ApiError {
  constructor(message: string, field?: string) {
    super("validation_error", message, field);
  }
}

/** Keeps hostile or huge input out of messages while still naming it. */
export function truncate(value: string, max = 64): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
