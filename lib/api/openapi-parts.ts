import type { ResponseConfig, RouteConfig } from "@asteasolutions/zod-to-openapi";
import type { ZodType } from "zod";
import { errorStatus, type ErrorCode } from "./errors";
import { z } from "./zod";

/**
 * Building blocks every area uses when it registers its paths (registerXPaths(registry) in lib/<area>/openapi.ts),
 * so that the error envelope, the list envelope, the rate-limit headers and the auth scheme are described once.
 * Paths are registered in full ("/v1/orders/{id}"), exactly as the app serves them.
 */

export const BEARER_AUTH = "bearerAuth";

const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const ErrorEnvelope = z
  .object({
    error: z
      .object({
        code: z.enum(errorCodes).openapi({ description: "Machine-readable; branch on this, never on the message." }),
        message: z.string().openapi({ description: "A human sentence." }),
        field: z.string().optional().openapi({ description: "The input at fault, JSON-path style (`items[1].quantity`)." }),
        request_id: z.string().openapi({ example: "req_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
      })
      .catchall(z.unknown())
      .openapi({ description: "Extra keys may appear for some codes (e.g. `order_status`, `order_id`)." }),
  })
  .openapi("Error");

export const PaginationBlock = z
  .object({
    next_cursor: z.string().nullable().openapi({ description: "Opaque; pass back as `cursor`. Null on the last page." }),
    has_more: z.boolean(),
  })
  .openapi("Pagination");

/** `{ data: [...], pagination }` around a resource schema. */
export function listEnvelope<T extends ZodType>(item: T, name: string) {
  return z.object({ data: z.array(item), pagination: PaginationBlock }).openapi(name);
}

export function jsonContent(schema: ZodType) {
  return { "application/json": { schema } };
}

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Headers on every authenticated response. */
export const rateLimitHeaders = {
  "X-RateLimit-Limit": headerRef("X-RateLimit-Limit"),
  "X-RateLimit-Remaining": headerRef("X-RateLimit-Remaining"),
  "X-RateLimit-Reset": headerRef("X-RateLimit-Reset"),
  "X-Request-Id": headerRef("X-Request-Id"),
};

const reasonOf: Partial<Record<ErrorCode, string>> = {
  unauthorized: "missing, malformed, unknown or revoked key",
  forbidden: "the key lacks the role this endpoint needs",
  sandbox_only: "a live key on a sandbox simulation endpoint",
  rate_limited: "over the per-minute limit; see Retry-After",
  internal_error: "our fault; quote request_id",
};

/**
 * The responses block of an operation: the success responses given, plus one error response per HTTP status
 * naming the codes it can carry. Authenticated operations always add 401, 429 and 500.
 */
export function responses(
  success: Record<number, { description: string; schema?: ZodType; headers?: Record<string, { $ref: string }> }>,
  errors: ErrorCode[],
  options: { auth?: boolean } = {},
): RouteConfig["responses"] {
  const auth = options.auth ?? true;
  const out: Record<string, ResponseConfig> = {};
  for (const [status, r] of Object.entries(success)) {
    out[status] = {
      description: r.description,
      headers: { ...(auth ? rateLimitHeaders : { "X-Request-Id": headerRef("X-Request-Id") }), ...(r.headers ?? {}) },
      ...(r.schema ? { content: jsonContent(r.schema) } : {}),
    };
  }
  const all = new Set<ErrorCode>([...errors, ...(auth ? (["unauthorized", "forbidden", "rate_limited"] as const) : []), "internal_error"]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of all) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const extraHeaders: Record<string, { $ref: string }> = {};
    if (codes.includes("rate_limited")) extraHeaders["Retry-After"] = headerRef("Retry-After");
    if (codes.includes("method_not_allowed")) extraHeaders.Allow = headerRef("Allow");
    out[String(status)] = {
      description: codes.map((c) => (reasonOf[c] ? `\`${c}\` (${reasonOf[c]})` : `\`${c}\``)).join(", "),
      headers: { ...(auth ? rateLimitHeaders : { "X-Request-Id": headerRef("X-Request-Id") }), ...extraHeaders },
      content: jsonContent(ErrorEnvelope),
    };
  }
  return out;
}

/** What parseBody refuses a JSON body with: every operation that takes one lists these. */
export const BODY_ERRORS = ["validation_error", "invalid_json", "unsupported_media_type", "payload_too_large"] as const satisfies readonly ErrorCode[];

/** Path parameter `{id}` with the prefix its ids carry. */
export function idParam(prefix: string, description: string) {
  return z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: `${prefix}_01jd2k3m4n5p6q7r8s9t0v1w2x`, description }) });
}
