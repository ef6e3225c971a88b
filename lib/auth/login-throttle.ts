import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "@/db/client";
import { loginRateLimits } from "@/db/schema";
import { normalizeEmail } from "@/lib/auth/dashboard-users";

/** How long a sign-in budget lasts: from an address's first attempt, and from its first attempt at an e-mail. */
export const LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60;
/** Failed sign-ins for one e-mail from one address per window: guessing one password from one place. */
export const LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL = 10;
/** Failed sign-ins from one address per window, whatever the e-mails: spraying one password over many users. */
export const LOGIN_ATTEMPTS_PER_ADDRESS = 50;

type Limiters = { address: RateLimiterDrizzle; addressAndEmail: RateLimiterDrizzle };

// One pair per database: each limiter keeps a cleanup timer, so they are made once, not per request.
const limitersByDb = new WeakMap<Db, Limiters>();

function limiters(db: Db): Limiters {
  let pair = limitersByDb.get(db);
  if (!pair) {
    const make = (keyPrefix: string, points: number) =>
      new RateLimiterDrizzle({ storeClient: db, schema: loginRateLimits, keyPrefix, points, duration: LOGIN_THROTTLE_WINDOW_SECONDS });
    pair = { address: make("login-address", LOGIN_ATTEMPTS_PER_ADDRESS), addressAndEmail: make("login-address-email", LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL) };
    limitersByDb.set(db, pair);
  }
  return pair;
}

const pairKey = (address: string, email: string) => `${address} ${normalizeEmail(email)}`;

/**
 * Takes one attempt from the address's budget and from the budget of the address for this e-mail, BEFORE the
 * password is checked, so a burst of parallel guesses cannot get past either. False when either is spent.
 * There is deliberately no budget per e-mail alone: it would let anyone lock the owner out from anywhere.
 */
export async function takeLoginAttempt(db: Db, address: string, email: string): Promise<boolean> {
  const { address: byAddress, addressAndEmail } = limiters(db);
  const taken = await Promise.allSettled([byAddress.consume(address), addressAndEmail.consume(pairKey(address, email))]);
  for (const result of taken) {
    // A store failure is not a verdict on the attempt: it surfaces as the error it is.
    if (result.status === "rejected" && !(result.reason instanceof RateLimiterRes)) throw result.reason;
  }
  return taken.every((result) => result.status === "fulfilled");
}

/**
 * The password was right: the address's earlier failures at this e-mail are forgotten, and the attempt is given
 * back to the address, so people signing in behind one office address do not use up each other's budget.
 */
export async function forgiveLoginAttempt(db: Db, address: string, email: string): Promise<void> {
  const { address: byAddress, addressAndEmail } = limiters(db);
  await Promise.all([byAddress.reward(address, 1), addressAndEmail.delete(pairKey(address, email))]);
}
