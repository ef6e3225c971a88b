import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { dashboardUsers } from "@/db/schema";
import { unique } from "@/e2e/support/factories";
import { findActiveUser, upsertDashboardUser, verifyCredentials } from "@/lib/auth/dashboard-users";

const email = () => `${unique("user").toLowerCase()}@example.test`;

describe("dashboard users", () => {
  it("signs in an active user by e-mail (any case) and password, and nobody else", async () => {
    const address = email();
    const created = await upsertDashboardUser(getDb(), { email: address, password: "correct horse", role: "support", name: "Sam" });
    // With the session version a new session is stamped with (see findActiveUser).
    expect(await verifyCredentials(getDb(), address.toUpperCase(), "correct horse")).toEqual({ ...created, sessionVersion: 0 });
    expect(await verifyCredentials(getDb(), address, "wrong horse")).toBeNull();
    expect(await verifyCredentials(getDb(), `nobody-${address}`, "correct horse")).toBeNull();
    // The hash is stored, never the password.
    const [row] = await getDb().select().from(dashboardUsers).where(eq(dashboardUsers.id, created.id));
    expect(row.passwordHash).not.toContain("correct horse");
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
  });

  it("locks out a deactivated user at once, and a second upsert changes the role and reactivates", async () => {
    const address = email();
    const user = await upsertDashboardUser(getDb(), { email: address, password: "first password", role: "support" });
    await getDb().update(dashboardUsers).set({ active: false }).where(eq(dashboardUsers.id, user.id));
    expect(await verifyCredentials(getDb(), address, "first password")).toBeNull();
    expect(await findActiveUser(getDb(), user.id)).toBeNull();

    const again = await upsertDashboardUser(getDb(), { email: address, password: "second password", role: "ops" });
    expect(again).toMatchObject({ id: user.id, role: "ops" });
    expect(await verifyCredentials(getDb(), address, "first password")).toBeNull();
    expect(await verifyCredentials(getDb(), address, "second password")).toMatchObject({ role: "ops" });
    expect(await findActiveUser(getDb(), user.id)).toMatchObject({ role: "ops" });
  });

  it("does not take a session stamped with another session version", async () => {
    const user = await upsertDashboardUser(getDb(), { email: email(), password: "a password", role: "support" });
    expect(await findActiveUser(getDb(), user.id, 0)).toMatchObject({ id: user.id });
    await getDb().update(dashboardUsers).set({ sessionVersion: 1 }).where(eq(dashboardUsers.id, user.id));
    expect(await findActiveUser(getDb(), user.id, 0)).toBeNull();
    expect(await findActiveUser(getDb(), user.id, 1)).toMatchObject({ id: user.id });
  });
});
