import bcrypt from "bcryptjs";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { dashboardUsers, type DashboardUser } from "@/db/schema";
import { newId } from "@/lib/ids";

export const dashboardRoles = ["support", "warehouse", "ops", "admin"] as const;
export type DashboardRole = (typeof dashboardRoles)[number];

/** What a signed-in person is, as pages, route handlers and server actions see them. */
export type DashboardUserInfo = { id: string; email: string; name: string; role: DashboardRole };

/** A user as sign-in sees them: with the session version their new session is stamped with. */
export type SignedInUser = DashboardUserInfo & { sessionVersion: number };

const BCRYPT_ROUNDS = 10;

// Compared against when the e-mail is unknown, so a wrong address costs the same time as a wrong password
// and response timing does not reveal which addresses exist.
const DECOY_HASH = bcrypt.hashSync("decoy-password-never-matches", BCRYPT_ROUNDS);

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function info(row: DashboardUser): DashboardUserInfo {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** The active user with these credentials, or null. */
export async function verifyCredentials(db: DbOrTx, email: string, password: string): Promise<SignedInUser | null> {
  const [row] = await db.select().from(dashboardUsers).where(eq(dashboardUsers.email, normalizeEmail(email)));
  const matches = await bcrypt.compare(password, row?.passwordHash ?? DECOY_HASH);
  if (!row || !matches || !row.active) return null;
  return { ...info(row), sessionVersion: row.sessionVersion };
}

/**
 * The user behind a session, re-read on every request by primary key: a disabled user, a reset password (both bump
 * the session version the token carries) or a changed role takes effect at the next request.
 */
export async function findActiveUser(db: DbOrTx, id: string, sessionVersion = 0): Promise<DashboardUserInfo | null> {
  const [row] = await db
    .select()
    .from(dashboardUsers)
    .where(and(eq(dashboardUsers.id, id), eq(dashboardUsers.active, true), eq(dashboardUsers.sessionVersion, sessionVersion)));
  return row ? info(row) : null;
}

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

/**
 * Creates the user, or updates name, role and password of the one with this e-mail (and reactivates it). For the
 * demo seed and test fixtures; people are managed with the audited verbs of lib/auth/user-admin.ts.
 */
export async function upsertDashboardUser(
  db: DbOrTx,
  input: { email: string; password: string; role: DashboardRole; name?: string },
): Promise<DashboardUserInfo> {
  const email = normalizeEmail(input.email);
  const name = input.name?.trim() || email.split("@")[0];
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(dashboardUsers)
    .values({ id: newId("usr"), email, name, passwordHash, role: input.role })
    .onConflictDoUpdate({ target: dashboardUsers.email, set: { name, passwordHash, role: input.role, active: true, updatedAt: sql`now()` } })
    .returning();
  return info(row);
}

export function hasRole(user: Pick<DashboardUserInfo, "role">, roles?: readonly DashboardRole[]): boolean {
  return !roles || roles.length === 0 || roles.includes(user.role);
}
