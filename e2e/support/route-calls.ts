import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "@/db/client";
import { accounts, apiKeys } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { createTenant, type TestTenant } from "./factories";
import { settleHorizon } from "./horizon";
import { onPostgres } from "./vitest-env";

/** Route handlers called in-process as Next.js calls them, and the checks every endpoint's answers share. */

export type CallOptions = {
  method?: string;
  key?: string;
  body?: unknown;
  /** Sent as-is, for malformed-body tests. */
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  /**
   * GETs first wait for the commit-safe horizon to pass what is already committed (PostgreSQL only, see
   * settleHorizon). false: a test that holds a transaction open on purpose and reads past it.
   */
  settle?: boolean;
};

/** Any route handler, whatever its params type (Promise<never> is assignable to every Promise<P>). */
export type RouteHandler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

/**
 * Calls a route handler exactly as Next.js does (a Request in, a Response out) against the real database.
 * Returns the status, headers and parsed JSON body.
 */
export async function call(handler: RouteHandler, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  if (method === "GET" && options.settle !== false && onPostgres) await settleHorizon();
  const request = new Request(`http://hub.test${path}`, { method, headers, body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) as Promise<never> });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
  return { status: response.status, headers: response.headers, body: json as any };
}

/**
 * Asserts the error envelope: status, code, a request id in the body equal to the X-Request-Id header, and the
 * field when given (`null`: the envelope must name none).
 */
export function expectError(res: Awaited<ReturnType<typeof call>>, status: number, code: string, field?: string | null) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
  expect(res.headers.get("x-request-id")).toMatch(/^req_|^[A-Za-z0-9._:-]+$/);
  if (field === null) expect(res.body.error.field).toBeUndefined();
  else if (field !== undefined) expect(res.body.error.field).toBe(field);
}

/**
 * The authentication and authorization failures every authenticated endpoint must answer the same way:
 * 401 for a missing, malformed, unknown or revoked key; 403 forbidden for a key of the wrong role;
 * 403 sandbox_only for a live key on a sandbox endpoint. `tenant` is the partner tenant that owns the data.
 */
export async function expectAuthFailures(
  handler: RouteHandler,
  path: string,
  options: Omit<CallOptions, "key"> & { tenant: TestTenant; role?: "partner" | "warehouse"; sandboxOnly?: boolean },
) {
  const db = getDb();
  const { tenant, role = "partner", sandboxOnly, ...rest } = options;
  expectError(await call(handler, path, rest), 401, "unauthorized");
  expectError(await call(handler, path, { ...rest, headers: { ...(rest.headers ?? {}), authorization: "Basic abc" } }), 401, "unauthorized");
  expectError(await call(handler, path, { ...rest, key: "wms_test_not-a-key" }), 401, "unauthorized");
  expectError(await call(handler, path, { ...rest, key: `wms_test_${"A".repeat(40)}` }), 401, "unauthorized");
  const revoked = await createApiKey(db, { accountId: tenant.accountId, environment: tenant.environment, role });
  await revokeApiKey(db, revoked.record.id);
  expectError(await call(handler, path, { ...rest, key: revoked.key }), 401, "unauthorized");
  const wrongRole = await createApiKey(db, { accountId: tenant.accountId, environment: tenant.environment, role: role === "partner" ? "warehouse" : "partner" });
  expectError(await call(handler, path, { ...rest, key: wrongRole.key }), 403, "forbidden");
  if (sandboxOnly) {
    const live = await createApiKey(db, { accountId: tenant.accountId, environment: "live", role });
    expectError(await call(handler, path, { ...rest, key: live.key }), 403, "sandbox_only");
  }
}

/** With an account limit of 1 request a minute, a second request in the same minute is refused with Retry-After. */
export async function expectRateLimited(handler: RouteHandler, path: string, options: Omit<CallOptions, "key"> = {}) {
  const db = getDb();
  const tenant = await createTenant();
  await db.update(accounts).set({ rateLimitPerMinute: 1 }).where(eq(accounts.id, tenant.accountId));
  const first = await call(handler, path, { ...options, key: tenant.key });
  expect(first.headers.get("x-ratelimit-limit")).toBe("1");
  expect(first.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(Number(first.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  // Three calls span at most one minute boundary, so two of them share a window and the later one is refused.
  const later = [await call(handler, path, { ...options, key: tenant.key }), await call(handler, path, { ...options, key: tenant.key })];
  const limited = later.find((r) => r.status === 429);
  expect(limited, "one of the later calls is rate limited").toBeDefined();
  expectError(limited!, 429, "rate_limited");
  expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(limited!.headers.get("x-ratelimit-remaining")).toBe("0");
  // The key row itself stays usable next minute: the refusal is a counter, not a revocation.
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.accountId, tenant.accountId));
  expect(key.revokedAt).toBeNull();
  return tenant;
}
