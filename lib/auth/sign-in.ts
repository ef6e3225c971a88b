import type { Db } from "@/db/client";
import { verifyCredentials, type SignedInUser } from "@/lib/auth/dashboard-users";
import { forgiveLoginAttempt, takeLoginAttempt } from "@/lib/auth/login-throttle";

export type SignInOutcome = { ok: true; user: SignedInUser } | { ok: false; reason: "invalid" | "throttled" };

/**
 * A dashboard sign-in with e-mail and password from `address` (see clientAddress): throttled per address and per
 * address and e-mail, so a wrong password typed elsewhere never keeps the owner out. A throttled attempt is refused
 * without checking the password, so it tells a guesser nothing.
 */
export async function signInWithPassword(db: Db, input: { email: string; password: string; address: string }): Promise<SignInOutcome> {
  if (!(await takeLoginAttempt(db, input.address, input.email))) return { ok: false, reason: "throttled" };
  const user = await verifyCredentials(db, input.email, input.password);
  if (!user) return { ok: false, reason: "invalid" };
  await forgiveLoginAttempt(db, input.address, input.email);
  return { ok: true, user };
}
