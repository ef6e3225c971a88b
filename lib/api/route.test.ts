import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createTenant } from "@/e2e/support/factories";
import { call } from "@/e2e/support/route-calls";
import { createApiKey } from "@/lib/auth/api-keys";
import { DomainError } from "@/lib/errors";
import { apiRoute, json, type RouteOptions } from "./route";

/** A handler that answers the context it was handed, exactly as it would pass it to a domain function. */
const echo = (options: RouteOptions) => apiRoute(options, async ({ ctx }) => json(ctx));

describe("apiRoute's context", () => {
  it("is a domain context: the key's tenant, the key as actor, and the system the key stands for", async () => {
    const t = await createTenant();
    const db = getDb();
    const partner = await createApiKey(db, { accountId: t.accountId, environment: t.environment, role: "partner" });
    const warehouse = await createApiKey(db, { accountId: t.accountId, environment: t.environment, role: "warehouse" });
    const tenant = { accountId: t.accountId, environment: "sandbox" };

    const api = await call(echo({}), "/v1/echo", { key: partner.key, headers: { "x-request-id": "trace-1" } });
    expect(api.body).toEqual({ ...tenant, source: "api", actor: partner.record.id, role: "partner", keyId: partner.record.id, requestId: "trace-1" });

    const wms = await call(echo({ role: "warehouse" }), "/v1/echo", { key: warehouse.key });
    expect(wms.body).toMatchObject({ ...tenant, source: "wms", actor: warehouse.record.id, role: "warehouse" });

    // A sandbox simulation acts as the warehouse would, attributed to the partner key that asked for it.
    const sandbox = await call(echo({ sandboxOnly: true }), "/v1/sandbox/echo", { key: partner.key });
    expect(sandbox.body).toMatchObject({ ...tenant, source: "sandbox", actor: partner.record.id, role: "partner" });
  });

  it("answers a domain refusal as the error envelope: its code, that code's status, its field and details", async () => {
    const t = await createTenant();
    const refuse = apiRoute({}, async () => {
      throw new DomainError("version_conflict", "The order is at version 7.", "If-Match", { current_version: "7" });
    });
    const res = await call(refuse, "/v1/echo", { key: t.key });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: "version_conflict", message: "The order is at version 7.", field: "If-Match", current_version: "7", request_id: res.headers.get("x-request-id") } });
  });
});
