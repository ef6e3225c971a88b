import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "@/db/client";
import { dashboardUsers, type DashboardUser } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { hashPassword, MIN_PASSWORD_LENGTH, normalizeEmail, type DashboardRole, type DashboardUserInfo } from "@/lib/auth/dashboard-users";
import type { AuditChange as AuditEntry } from "@/lib/audit/record";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";

/**
 * The verbs that manage dashboard users, shared by the Admin pages and `npm run user`: each runs in one transaction
 * and returns the audit entry describing its change (never a password or its hash).
 */

export type ManagedUser = DashboardUserInfo & { active: boolean; createdAt: Date; updatedAt: Date };

/** A change made, with what the audit log keeps of it (null: nothing changed, the user was already so). */
export type UserChange = { user: ManagedUser; audit: AuditEntry | null };

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function managed(row: DashboardUser): ManagedUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** What the audit log keeps of a user: who they are and what they may do. */
function audited(user: ManagedUser) {
  return { email: user.email, name: user.name, role: user.role, active: user.active };
}

/** A password for someone who will be told it once: 16 URL-safe characters (96 random bits). */
export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}

function checkPassword(password: string, field = "password"): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`, field);
  if (password.length > 72) throw new ValidationError("A password can have at most 72 characters.", field);
}

/** Every dashboard user, active ones first, by e-mail. A hub has tens of them: no paging. */
export async function listDashboardUsers(db: DbOrTx): Promise<ManagedUser[]> {
  const rows = await db.select().from(dashboardUsers).orderBy(sql`${dashboardUsers.active} desc`, asc(dashboardUsers.email));
  return rows.map(managed);
}

export async function findDashboardUserByEmail(db: DbOrTx, email: string): Promise<ManagedUser | null> {
  const [row] = await db.select().from(dashboardUsers).where(eq(dashboardUsers.email, normalizeEmail(email)));
  return row ? managed(row) : null;
}

/**
 * Creates a user with a role and a password: the one given, or a generated one returned (once) as `password`.
 * An e-mail already in use is refused on the field.
 */
export async function createDashboardUser(
  db: DbOrTx,
  input: { email: string; name?: string; role: DashboardRole; password?: string },
): Promise<UserChange & { password: string | null }> {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email)) throw new ValidationError("Enter an e-mail address.", "email");
  const generated = input.password ? null : generatePassword();
  const password = input.password || (generated as string);
  checkPassword(password);
  const name = input.name?.trim() || email.split("@")[0];
  const passwordHash = await hashPassword(password);
  const [row] = await db
    .insert(dashboardUsers)
    .values({ id: newId("usr"), email, name, passwordHash, role: input.role })
    .onConflictDoNothing({ target: dashboardUsers.email })
    .returning();
  if (!row) throw new ValidationError(`${email} already has a user.`, "email");
  const user = managed(row);
  return { user, password: generated, audit: { entityType: "dashboard_user", entityId: user.id, action: "created", after: audited(user) } };
}

/**
 * Locks the active admins, then the user, in that order whatever the change (so two changes never wait on each
 * other crosswise), and refuses a change that would leave no active admin: the last one cannot be demoted or
 * disabled, by anyone, themselves included. Two admins demoting each other at once: the second waits for the
 * first, then sees one admin left, and is refused.
 */
async function lockForChange(tx: Tx, userId: string, losesAdmin: (user: DashboardUser) => boolean, field?: string): Promise<DashboardUser> {
  const admins = await tx
    .select({ id: dashboardUsers.id })
    .from(dashboardUsers)
    .where(and(eq(dashboardUsers.role, "admin"), eq(dashboardUsers.active, true)))
    .orderBy(asc(dashboardUsers.id))
    .for("update");
  const [row] = await tx.select().from(dashboardUsers).where(eq(dashboardUsers.id, userId)).for("update");
  if (!row) throw new NotFoundError("User", userId);
  const isActiveAdmin = admins.some((a) => a.id === row.id);
  if (isActiveAdmin && admins.length === 1 && losesAdmin(row)) {
    throw new ValidationError(`${row.email} is the last active admin: make another user admin first.`, field);
  }
  return row;
}

async function update(tx: Tx, id: string, set: PgUpdateSetSource<typeof dashboardUsers>): Promise<ManagedUser> {
  const [row] = await tx
    .update(dashboardUsers)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(dashboardUsers.id, id))
    .returning();
  return managed(row);
}

/** Gives the user another role; it applies from their next request (the role is re-read on every request). */
export async function changeDashboardUserRole(db: DbOrTx, input: { userId: string; role: DashboardRole }): Promise<UserChange> {
  return inTransaction(db, async (tx) => {
    const row = await lockForChange(tx, input.userId, () => input.role !== "admin", "role");
    const before = managed(row);
    if (row.role === input.role) return { user: before, audit: null };
    const user = await update(tx, row.id, { role: input.role });
    return { user, audit: { entityType: "dashboard_user", entityId: user.id, action: "role_changed", before: { role: before.role }, after: { role: user.role } } };
  });
}

/**
 * Disables the user (they cannot sign in, and every session of theirs ends at its next request: the session version
 * moves on) or enables them again (with no old session coming back to life: those stay ended).
 */
export async function setDashboardUserActive(db: DbOrTx, input: { userId: string; active: boolean }): Promise<UserChange> {
  return inTransaction(db, async (tx) => {
    const row = await lockForChange(tx, input.userId, () => !input.active);
    const before = managed(row);
    if (row.active === input.active) return { user: before, audit: null };
    const user = await update(tx, row.id, input.active ? { active: true } : { active: false, sessionVersion: sql`${dashboardUsers.sessionVersion} + 1` });
    return { user, audit: { entityType: "dashboard_user", entityId: user.id, action: input.active ? "enabled" : "disabled", before: { active: before.active }, after: { active: user.active } } };
  });
}

/**
 * Sets a new password, the one given or a generated one returned (once) as `password`, and ends every session the
 * user has: whoever held one with the old password must sign in with the new one.
 */
export async function resetDashboardUserPassword(db: DbOrTx, input: { userId: string; password?: string }): Promise<UserChange & { password: string | null }> {
  const generated = input.password ? null : generatePassword();
  const password = input.password || (generated as string);
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  return inTransaction(db, async (tx) => {
    const [row] = await tx.select({ id: dashboardUsers.id }).from(dashboardUsers).where(eq(dashboardUsers.id, input.userId));
    if (!row) throw new NotFoundError("User", input.userId);
    const user = await update(tx, row.id, { passwordHash, sessionVersion: sql`${dashboardUsers.sessionVersion} + 1` });
    // The fact of a reset, never the password or its hash.
    return { user, password: generated, audit: { entityType: "dashboard_user", entityId: user.id, action: "password_reset" } };
  });
}

/** Changes the display name (the CLI's --name). */
export async function renameDashboardUser(db: DbOrTx, input: { userId: string; name: string }): Promise<UserChange> {
  const name = input.name.trim();
  if (!name) throw new ValidationError("Enter a name.", "name");
  return inTransaction(db, async (tx) => {
    const [row] = await tx.select().from(dashboardUsers).where(eq(dashboardUsers.id, input.userId)).for("update");
    if (!row) throw new NotFoundError("User", input.userId);
    if (row.name === name) return { user: managed(row), audit: null };
    const user = await update(tx, row.id, { name });
    return { user, audit: { entityType: "dashboard_user", entityId: user.id, action: "renamed", before: { name: row.name }, after: { name: user.name } } };
  });
}
