import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { environmentEnum, timestamps } from "./columns";

export const accounts = pgTable("accounts", {
  id: text().primaryKey(),
  name: text().notNull().unique(),
  /** Per-account override of API_RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute: integer(),
  ...timestamps,
});

export const apiKeyRoleEnum = pgEnum("api_key_role", ["partner", "warehouse"]);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text().primaryKey(),
    accountId: text().notNull().references(() => accounts.id),
    environment: environmentEnum().notNull(),
    role: apiKeyRoleEnum().notNull().default("partner"),
    /** First characters of the key, safe to show ("wms_test_ab12…"). */
    displayPrefix: text().notNull(),
    /** SHA-256 of the whole key: keys are 32 random bytes, so a fast hash is safe and lookups stay O(1). */
    keyHash: text().notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex("api_keys_key_hash_idx").on(t.keyHash), index("api_keys_account_id_idx").on(t.accountId)],
);

export const dashboardRoleEnum = pgEnum("dashboard_role", ["support", "warehouse", "ops", "admin"]);

export const dashboardUsers = pgTable("dashboard_users", {
  id: text().primaryKey(),
  email: text().notNull().unique(),
  name: text().notNull(),
  passwordHash: text().notNull(),
  role: dashboardRoleEnum().notNull(),
  active: boolean().notNull().default(true),
  /**
   * Stamped into the session token at sign-in and compared on every request: disabling the user or resetting the
   * password bumps it, so every session issued before ends at its next request, not when its token expires.
   */
  sessionVersion: integer().notNull().default(0),
  ...timestamps,
});

/** Fixed-window request counters shared by every app instance (rate limits must hold across processes). */
export const rateLimitCounters = pgTable("rate_limit_counters", {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});

/**
 * Windows of the dashboard sign-in throttle (rate-limiter-flexible's Drizzle store: per address, and per address
 * and e-mail), shared by every app instance. Columns are the store's: key, points, expire.
 */
export const loginRateLimits = pgTable("login_rate_limits", {
  key: text().primaryKey(),
  points: integer().notNull(),
  expire: timestamp({ withTimezone: true }),
});

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type DashboardUser = typeof dashboardUsers.$inferSelect;
export type NewDashboardUser = typeof dashboardUsers.$inferInsert;
