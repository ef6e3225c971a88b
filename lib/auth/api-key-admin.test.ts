import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as warehouses from "@/app/v1/warehouses/route";
import { getDb } from "@/db/client";
import { apiKeys, auditLog } from "@/db/schema";
import { unique } from "@/e2e/support/factories";
import { call, expectError } from "@/e2e/support/route-calls";
import { issueKey, revokeKey } from "@/lib/auth/admin-actions";
import { listApiKeys } from "@/lib/auth/api-keys";
import { upsertDashboardUser, type DashboardRole } from "@/lib/auth/dashboard-users";
import { performAction } from "@/lib/dashboard/perform-action";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

const signedIn = (role: DashboardRole) => upsertDashboardUser(getDb(), { email: `${unique(role)}@hub.test`, password: "a long password", role });

async function issue(fields: Record<string, string>) {
  const admin = await signedIn("admin");
  const result = await performAction(issueKey.options, issueKey.verb, admin, form(fields));
  if (!result.ok) throw new Error(result.error);
  return { admin, ...result.data };
}

async function keyRow(prefix: string) {
  const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.displayPrefix, prefix));
  return row;
}

describe("issuing and revoking API keys from the dashboard", () => {
  it("a revoked key is refused with 401 at its very next request", async () => {
    const account = unique("Keys Partner");
    const { key, prefix } = await issue({ account, environment: "sandbox", role: "partner" });
    expect(key.startsWith(prefix)).toBe(true);
    expect((await call(warehouses.GET, "/v1/warehouses?limit=1", { key })).status).toBe(200);

    const admin = await signedIn("admin");
    const row = await keyRow(prefix);
    expect(await performAction(revokeKey.options, revokeKey.verb, admin, form({ id: row.id }))).toMatchObject({ ok: true, data: { message: `Revoked ${prefix}…; it is refused from now on.` } });
    expectError(await call(warehouses.GET, "/v1/warehouses?limit=1", { key }), 401, "unauthorized");

    // Revoking it again is refused (one revocation per key in the log).
    expect(await performAction(revokeKey.options, revokeKey.verb, admin, form({ id: row.id }))).toMatchObject({ ok: false, error: "This key is already revoked." });
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.entityId, row.id)).orderBy(auditLog.id);
    expect(audit.map((r) => [r.action, r.accountId, r.environment])).toEqual([
      ["issued", row.accountId, "sandbox"],
      ["revoked", row.accountId, "sandbox"],
    ]);
    expect(audit[0].after).toMatchObject({ account, environment: "sandbox", role: "partner", prefix });
    // The key and its hash are never in the log.
    expect(JSON.stringify(audit)).not.toContain(key);
    expect(JSON.stringify(audit)).not.toContain(row.keyHash);
  });

  it("lists a key per account with prefix, environment, role, created and last used, without its hash", async () => {
    const account = unique("Listed Partner");
    const { key, prefix } = await issue({ account, environment: "live", role: "warehouse" });
    const row = await keyRow(prefix);
    const [before] = await listApiKeys(getDb(), { accountId: row.accountId });
    expect(before).toEqual({
      id: row.id,
      accountId: row.accountId,
      accountName: account,
      environment: "live",
      role: "warehouse",
      displayPrefix: prefix,
      createdAt: expect.any(Date),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(prefix).toMatch(/^wms_live_[A-Za-z0-9]{4}$/);

    // A warehouse key on the partner list is refused (403), but it was presented: it counts as used.
    await call(warehouses.GET, "/v1/warehouses?limit=1", { key });
    const [used] = await listApiKeys(getDb(), { accountId: row.accountId });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
    // Within the minute, further requests do not write it again.
    await call(warehouses.GET, "/v1/warehouses?limit=1", { key });
    const [again] = await listApiKeys(getDb(), { accountId: row.accountId });
    expect(again.lastUsedAt).toEqual(used.lastUsedAt);
  });

  it("is for admins only, and refuses a form without an account or with an unknown environment on its fields", async () => {
    const account = unique("Refused Partner");
    for (const role of ["support", "warehouse", "ops"] as const) {
      const user = await signedIn(role);
      expect(await performAction(issueKey.options, issueKey.verb, user, form({ account, environment: "sandbox", role: "partner" }))).toEqual({
        ok: false,
        error: `Only admin users can do this; you are signed in as ${role}.`,
        fieldErrors: {},
      });
    }
    const admin = await signedIn("admin");
    expect(await performAction(issueKey.options, issueKey.verb, admin, form({ account: "  ", environment: "staging", role: "partner" }))).toEqual({
      ok: false,
      error: "Fix the highlighted fields.",
      fieldErrors: { account: "Name the account the key is for.", environment: "Choose sandbox or live." },
    });
    expect((await listApiKeys(getDb())).some((k) => k.accountName === account)).toBe(false);
  });
});
