import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { accounts, type Environment } from "@/db/schema";

export type AccountChoice = { id: string; name: string };
export type OpsScope = { accountId: string; accountName: string; environment: Environment };

/** The accounts an ops page can switch between (the 3PL's staff work across all of them). */
export async function listAccountChoices(db: DbOrTx): Promise<AccountChoice[]> {
  return db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)).limit(1000);
}

/**
 * The account and environment a per-account ops page (SKU map, routing) shows, from its `account` and `env`
 * query parameters; an unknown account falls back to the first one, so a stale link still opens a page.
 */
export function pickScope(params: Record<string, string | string[] | undefined>, choices: AccountChoice[]): OpsScope | null {
  const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
  const wanted = one(params.account);
  const account = choices.find((a) => a.id === wanted) ?? choices[0];
  if (!account) return null;
  const environment: Environment = one(params.env) === "live" ? "live" : "sandbox";
  return { accountId: account.id, accountName: account.name, environment };
}

/** The account and environment a form or request names, checked against the database (never trusted as sent). */
export async function resolveScope(db: DbOrTx, accountId: string, env: string | null): Promise<OpsScope | null> {
  const [account] = accountId ? await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)) : [];
  return account ? { accountId: account.id, accountName: account.name, environment: env === "live" ? "live" : "sandbox" } : null;
}
