import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "@/db/client";
import { accounts, apiKeys } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { call, type CallOptions } from "./http";
import { createTenant, type TestTenant } from "./factories";

type RouteHandler = Parameters<typeof call>[0];

/** Asserts the error envelope: status, code, a request id in the body equal to the X-Request-Id header. */
export function expectError(res: Awaited<ReturnType<typeof call>>, status: number, code: string, field?: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
  expect(res.headers.get("x-request-id")).toMatch(/^req_|^[A-Za-z0-9._:-]+$/);
  if (field !== undefined) expect(res.body.error.field).toBe(field);
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
