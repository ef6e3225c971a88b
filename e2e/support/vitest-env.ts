import type { EnvValues } from "@/lib/env";

/** The suite's one input from outside: the PostgreSQL to run on (see vitest-global-setup.ts), else in-memory PGlite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/** Tests that need several real connections (locking, races) run only on PostgreSQL, and say so when skipped. */
export const onPostgres = Boolean(testDatabaseUrl);
export const needsPostgres = "needs TEST_DATABASE_URL (several real connections)";

/**
 * The configuration the code under test reads (lib/env.ts), whatever the shell that runs the suite exports: every
 * other variable takes its default. The secrets are the suite's own, set as a deployment sets them, nothing generated;
 * one fixed SECRETS_KEY for every file, because on a shared PostgreSQL one file's loops meet the shop connections
 * another file sealed. Webhook receivers in tests are local servers, as on a self-hosted deployment.
 */
export function suiteEnvironment(): EnvValues {
  return {
    NODE_ENV: "test",
    DATABASE_URL: testDatabaseUrl,
    DATABASE_POOL_MAX: testDatabaseUrl ? "20" : undefined,
    DATA_DIR: "memory://",
    WORKER: "off",
    NEXTAUTH_SECRET: "test-nextauth-secret",
    CURSOR_SECRET: "test-cursor-secret",
    SECRETS_KEY: Buffer.alloc(32, 3).toString("base64"),
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  };
}
