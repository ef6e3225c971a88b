/**
 * transient: worth retrying as is (throttling, 429, 5xx, timeouts, network, a concurrent idempotent request);
 * permanent: retrying the same request cannot succeed (bad token, validation, user errors) until a human acts.
 */
export type AdminErrorKind = "transient" | "permanent";

export type UserError = { field?: string[] | null; message: string; code?: string | null };

export class AdminApiError extends Error {
  constructor(
    readonly kind: AdminErrorKind,
    /** THROTTLED, HTTP_429, HTTP_503, TIMEOUT, NETWORK, USER_ERROR, GRAPHQL, HTTP_401… */
    readonly code: string,
    message: string,
    readonly userErrors: UserError[] = [],
    /** Seconds to wait before trying again, when the server said so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AdminApiError";
  }

  get transient(): boolean {
    return this.kind === "transient";
  }

  /** True when one of the mutation's userErrors carries this code. */
  hasUserErrorCode(code: string): boolean {
    return this.userErrors.some((e) => e.code === code);
  }
}

/** User error codes that mean "try again", not "you sent something wrong". */
const TRANSIENT_USER_ERROR_CODES = new Set(["IDEMPOTENCY_CONCURRENT_REQUEST"]);

/** A mutation's userErrors as an error: permanent unless every code is one of the retryable ones. */
export function userErrorsToError(operation: string, userErrors: UserError[]): AdminApiError {
  const transient = userErrors.length > 0 && userErrors.every((e) => e.code && TRANSIENT_USER_ERROR_CODES.has(e.code));
  const text = userErrors.map((e) => (e.code ? `${e.code}: ${e.message}` : e.message)).join("; ");
  const code = userErrors.find((e) => e.code)?.code ?? "USER_ERROR";
  return new AdminApiError(transient ? "transient" : "permanent", code, `${operation} refused: ${text}`, userErrors);
}

/**
 * The messages of an error and its causes, innermost first: a driver error wrapped by Drizzle says "Failed query: …"
 * and only its cause says what went wrong, so the cause must lead (last_error is cut to 1000 characters).
 */
function describe(error: unknown): string {
  const messages: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    messages.unshift(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return messages.join(" ← ");
}

/**
 * Any failure as an AdminApiError. Unexpected ones (a bug in our code, the database) count as transient: once fixed,
 * the retry goes through. They are logged with their stack, since nothing about them is Shopify's doing.
 */
export function asAdminError(error: unknown, context?: string): AdminApiError {
  if (error instanceof AdminApiError) return error;
  console.error(`shopify push: unexpected error${context ? ` (${context})` : ""}`, error);
  return new AdminApiError("transient", "INTERNAL", describe(error));
}
