import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { findActiveUser, hasRole, type DashboardRole, type DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { authOptions } from "@/lib/auth/next-auth";

export type { DashboardRole, DashboardUserInfo } from "@/lib/auth/dashboard-users";

/**
 * The signed-in user, checked against the database (active, same session version, current role), or null: one
 * primary-key read. The JWT alone is not trusted for authorization: a user disabled, demoted or given a new password
 * a minute ago must lose that access at their next request, not when the token expires.
 * Memoized per request (React cache), so the layout and the page look it up once between them.
 */
export const currentUser = cache(async (): Promise<DashboardUserInfo | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  return findActiveUser(getDb(), id, session.user.sessionVersion);
});

/**
 * For pages and server actions: the signed-in user with one of the roles, or a redirect (to /login when signed
 * out, to /forbidden when the role does not fit). Call it next to the data it protects.
 */
export async function requireUser(roles?: readonly DashboardRole[]): Promise<DashboardUserInfo> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (!hasRole(user, roles)) redirect("/forbidden");
  return user;
}

/**
 * For the dashboard's JSON route handlers: the user, or the 401/403 response to return. Route handlers answer
 * JSON rather than redirect, so react-query sees the failure and the page can ask the user to sign in again.
 */
export async function authorizeRequest(
  roles?: readonly DashboardRole[],
): Promise<{ user: DashboardUserInfo; denied?: undefined } | { user?: undefined; denied: Response }> {
  const user = await currentUser();
  if (!user) return { denied: Response.json({ error: { code: "unauthorized", message: "Sign in again." } }, { status: 401 }) };
  if (!hasRole(user, roles)) return { denied: Response.json({ error: { code: "forbidden", message: "Your role cannot see this." } }, { status: 403 }) };
  return { user };
}
