import type { DomainError } from "@/lib/errors";

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

/**
 * A failure of the HTTP exchange itself (key, rate limit, body, method, cursor), rendered as the error envelope.
 * What the domain refuses is a DomainError (lib/errors), mapped here by apiErrorOf.
 */
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

/**
 * A domain refusal as the API answers it: its own code (every domain code is an API code, so this does not
 * compile if the domain names one the table lacks), message, field and details.
 */
export function apiErrorOf(error: DomainError): ApiError {
  return new ApiError(error.code, error.message, error.field, error.details);
}
