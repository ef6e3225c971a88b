import { and, eq, ne } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createDatabase, getDb, type Tx } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { auditLog, dashboardUsers } from "@/db/schema";
import { unique } from "@/e2e/support/factories";
import { changeRole, createUser, resetPassword, setActive } from "@/lib/auth/admin-actions";
import { findActiveUser, upsertDashboardUser, verifyCredentials, type DashboardRole } from "@/lib/auth/dashboard-users";
import { changeDashboardUserRole, setDashboardUserActive } from "@/lib/auth/user-admin";
import { performAction } from "@/lib/dashboard/perform-action";
import { needsPostgres, onPostgres, testDatabaseUrl } from "@/e2e/support/vitest-env";

const PASSWORD = "a long password";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

const email = (label: string) => `${unique(label)}@hub.test`;
const signedIn = (role: DashboardRole) => upsertDashboardUser(getDb(), { email: email(role), password: PASSWORD, role });

/** The session version a user signing in now gets, as their token would carry it. */
async function sessionVersion(id: string): Promise<number> {
  const [row] = await getDb().select({ v: dashboardUsers.sessionVersion }).from(dashboardUsers).where(eq(dashboardUsers.id, id));
  return row.v;
}

const auditOf = (entityId: string) => getDb().select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.id);

describe("who may manage users", () => {
  it("refuses every user action to support, warehouse and ops, and changes nothing", async () => {
    const target = await signedIn("support");
    for (const role of ["support", "warehouse", "ops"] as const) {
      const user = await signedIn(role);
      const refusal = { ok: false, error: `Only admin users can do this; you are signed in as ${role}.`, fieldErrors: {} };
      expect(await performAction(createUser.options, createUser.verb, user, form({ email: email("new"), role: "admin", password: PASSWORD }))).toEqual(refusal);
      expect(await performAction(changeRole.options, changeRole.verb, user, form({ id: target.id, role: "admin" }))).toEqual(refusal);
      expect(await performAction(setActive.options, setActive.verb, user, form({ id: target.id, active: "false" }))).toEqual(refusal);
      expect(await performAction(resetPassword.options, resetPassword.verb, user, form({ id: target.id, password: "" }))).toEqual(refusal);
    }
    expect(await findActiveUser(getDb(), target.id)).toMatchObject({ role: "support" });
    expect(await verifyCredentials(getDb(), target.email, PASSWORD)).not.toBeNull();
    expect(await auditOf(target.id)).toEqual([]);
  });
});

describe("creating a user", () => {
  it("creates a user with the role and password given, who can sign in, and records it without the password", async () => {
    const admin = await signedIn("admin");
    const address = email("casey");
    const result = await performAction(createUser.options, createUser.verb, admin, form({ email: ` ${address.toUpperCase()} `, name: "Casey", role: "ops", password: PASSWORD }));
    expect(result).toMatchObject({ ok: true, data: { message: `Created ${address} (ops).`, password: null } });
    const user = await verifyCredentials(getDb(), address, PASSWORD);
    expect(user).toMatchObject({ email: address, name: "Casey", role: "ops" });
    const [row] = await auditOf(user!.id);
    expect(row).toMatchObject({ action: "created", actor: admin.email, actorRole: "admin", source: "dashboard", after: { email: address, name: "Casey", role: "ops", active: true } });
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(JSON.stringify(row)).not.toMatch(/\$2[aby]\$/);
  });

  it("generates a password when none is given and returns it once", async () => {
    const admin = await signedIn("admin");
    const address = email("gen");
    const result = await performAction(createUser.options, createUser.verb, admin, form({ email: address, name: "", role: "support", password: "" }));
    if (!result.ok) throw new Error(result.error);
    expect(result.data.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await verifyCredentials(getDb(), address, result.data.password!)).toMatchObject({ name: address.split("@")[0], role: "support" });
    const [row] = await auditOf((await verifyCredentials(getDb(), address, result.data.password!))!.id);
    expect(JSON.stringify(row)).not.toContain(result.data.password);
  });

  it("refuses, on the field, a taken e-mail, a malformed one, a short password and an unknown role", async () => {
    const admin = await signedIn("admin");
    const taken = await signedIn("support");
    const create = (fields: Record<string, string>) => performAction(createUser.options, createUser.verb, admin, form({ name: "", password: PASSWORD, role: "support", ...fields }));
    expect(await create({ email: taken.email.toUpperCase() })).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { email: `${taken.email} already has a user.` } });
    expect(await create({ email: "not an address" })).toMatchObject({ ok: false, fieldErrors: { email: "Enter an e-mail address." } });
    expect(await create({ email: "" })).toMatchObject({ ok: false, fieldErrors: { email: "Enter an e-mail address." } });
    expect(await create({ email: email("short"), password: "short" })).toMatchObject({ ok: false, fieldErrors: { password: "A password needs at least 8 characters." } });
    expect(await create({ email: email("role"), role: "root" })).toMatchObject({ ok: false, fieldErrors: { role: "Choose one of support, warehouse, ops, admin." } });
    expect(await verifyCredentials(getDb(), taken.email, PASSWORD)).toMatchObject({ role: "support" });
  });
});

describe("changing a role, disabling, resetting a password", () => {
  it("a new role applies at the user's next request, and is recorded with before and after", async () => {
    const admin = await signedIn("admin");
    const user = await signedIn("support");
    const version = await sessionVersion(user.id);
    expect(await performAction(changeRole.options, changeRole.verb, admin, form({ id: user.id, role: "ops" }))).toMatchObject({ ok: true, data: { message: `${user.email} is now ops.` } });
    // The same session (same version) now reads as ops: nothing to sign in again for.
    expect(await findActiveUser(getDb(), user.id, version)).toMatchObject({ role: "ops" });
    expect(await auditOf(user.id)).toEqual([expect.objectContaining({ action: "role_changed", before: { role: "support" }, after: { role: "ops" } })]);
    // Choosing the role it already has changes and records nothing.
    expect(await performAction(changeRole.options, changeRole.verb, admin, form({ id: user.id, role: "ops" }))).toMatchObject({ ok: true, data: { message: `${user.email} was already ops.` } });
    expect(await auditOf(user.id)).toHaveLength(1);
  });

  it("a disabled user cannot sign in and their session ends at its next request; enabled again, only a new sign-in works", async () => {
    const admin = await signedIn("admin");
    const user = await signedIn("warehouse");
    const before = await sessionVersion(user.id);
    expect(await findActiveUser(getDb(), user.id, before)).not.toBeNull();
    expect(await performAction(setActive.options, setActive.verb, admin, form({ id: user.id, active: "false" }))).toMatchObject({ ok: true, data: { message: `${user.email} is disabled and signed out.` } });
    expect(await findActiveUser(getDb(), user.id, before)).toBeNull();
    expect(await verifyCredentials(getDb(), user.email, PASSWORD)).toBeNull();

    expect(await performAction(setActive.options, setActive.verb, admin, form({ id: user.id, active: "true" }))).toMatchObject({ ok: true, data: { message: `${user.email} can sign in.` } });
    // The session from before the disable stays ended; signing in again gives a working one.
    expect(await findActiveUser(getDb(), user.id, before)).toBeNull();
    const again = await verifyCredentials(getDb(), user.email, PASSWORD);
    expect(await findActiveUser(getDb(), user.id, again!.sessionVersion)).toMatchObject({ role: "warehouse" });
    expect((await auditOf(user.id)).map((r) => [r.action, r.before, r.after])).toEqual([
      ["disabled", { active: true }, { active: false }],
      ["enabled", { active: false }, { active: true }],
    ]);
  });

  it("a password reset ends the user's sessions; the old password stops working and the generated one works", async () => {
    const admin = await signedIn("admin");
    const user = await signedIn("support");
    const before = await sessionVersion(user.id);
    const result = await performAction(resetPassword.options, resetPassword.verb, admin, form({ id: user.id, password: "" }));
    if (!result.ok) throw new Error(result.error);
    expect(await findActiveUser(getDb(), user.id, before)).toBeNull();
    expect(await verifyCredentials(getDb(), user.email, PASSWORD)).toBeNull();
    expect(await verifyCredentials(getDb(), user.email, result.data.password!)).toMatchObject({ email: user.email });
    const rows = await auditOf(user.id);
    expect(rows).toEqual([expect.objectContaining({ action: "password_reset", before: null, after: null })]);
    expect(JSON.stringify(rows)).not.toContain(result.data.password);
  });

  it("refuses an unknown or tampered user id", async () => {
    const admin = await signedIn("admin");
    expect(await performAction(setActive.options, setActive.verb, admin, form({ id: "usr_01doesnotexist", active: "false" }))).toMatchObject({ ok: false, error: "User 'usr_01doesnotexist' was not found." });
    expect(await performAction(changeRole.options, changeRole.verb, admin, form({ id: "'; drop table", role: "ops" }))).toMatchObject({ ok: false, error: "This page is out of date; reload it and try again." });
  });
});

/**
 * Runs fn where `admin` is the only active admin: the other admins (other tests' too, on a shared database) are
 * disabled inside a transaction that is rolled back afterwards, so nothing outside the test sees it. Repeatable read:
 * an admin another test file creates meanwhile stays out of this transaction's view.
 */
async function asOnlyAdmin(fn: (tx: Tx, admin: { id: string; email: string }) => Promise<void>) {
  const admin = await signedIn("admin");
  const done = new Error("rolled back");
  await expect(
    getDb().transaction(async (tx) => {
      await tx.update(dashboardUsers).set({ active: false }).where(and(eq(dashboardUsers.role, "admin"), ne(dashboardUsers.id, admin.id)));
      await fn(tx, admin);
      throw done;
    }, { isolationLevel: "repeatable read" }),
  ).rejects.toBe(done);
}

describe("the last active admin", () => {
  it("cannot be demoted or disabled, by themselves or anyone; with a second admin, they can", async () => {
    await asOnlyAdmin(async (tx, admin) => {
      const refusal = `${admin.email} is the last active admin: make another user admin first.`;
      await expect(changeDashboardUserRole(tx, { userId: admin.id, role: "ops" })).rejects.toMatchObject({ message: refusal, field: "role" });
      await expect(setDashboardUserActive(tx, { userId: admin.id, active: false })).rejects.toMatchObject({ message: refusal, field: undefined });
      // Still the admin it was.
      const [row] = await tx.select().from(dashboardUsers).where(eq(dashboardUsers.id, admin.id));
      expect(row).toMatchObject({ role: "admin", active: true });

      const second = await upsertDashboardUser(tx, { email: email("second"), password: PASSWORD, role: "ops" });
      await changeDashboardUserRole(tx, { userId: second.id, role: "admin" });
      await expect(changeDashboardUserRole(tx, { userId: admin.id, role: "ops" })).resolves.toMatchObject({ user: { role: "ops" } });
      // Now the second is the last one.
      await expect(setDashboardUserActive(tx, { userId: second.id, active: false })).rejects.toMatchObject({ message: `${second.email} is the last active admin: make another user admin first.` });
    });
  });

});

describe.skipIf(!onPostgres)(`two admins demoting each other at once (${needsPostgres})`, () => {
  it("one of them stays admin", { timeout: 120_000 }, async () => {
    // A database of its own, where these two are the only admins (the shared one has every other test's).
    const url = new URL(testDatabaseUrl!);
    const name = `${url.pathname.slice(1)}_last_admin`;
    const server = new URL(url);
    server.pathname = "/postgres";
    const sql = postgres(server.toString(), { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.unsafe(`create database ${name}`);
    await sql.end();
    url.pathname = `/${name}`;
    const handle = createDatabase({ url: url.toString(), poolMax: 4 });
    try {
      await migrateDatabase(handle);
      const a = await upsertDashboardUser(handle.db, { email: "a@hub.test", password: PASSWORD, role: "admin" });
      const b = await upsertDashboardUser(handle.db, { email: "b@hub.test", password: PASSWORD, role: "admin" });
      for (let round = 0; round < 5; round++) {
        const outcomes = await Promise.allSettled([
          changeDashboardUserRole(handle.db, { userId: a.id, role: "ops" }),
          round % 2 ? setDashboardUserActive(handle.db, { userId: b.id, active: false }) : changeDashboardUserRole(handle.db, { userId: b.id, role: "support" }),
        ]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
        const admins = await handle.db.select().from(dashboardUsers).where(and(eq(dashboardUsers.role, "admin"), eq(dashboardUsers.active, true)));
        expect(admins).toHaveLength(1);
        // Both admins again for the next round.
        await handle.db.update(dashboardUsers).set({ role: "admin", active: true });
      }
    } finally {
      await handle.close();
    }
  });
});
