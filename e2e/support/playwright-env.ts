import { configuration } from "../../lib/env";

/**
 * Where the Playwright suites find the server and its database. CI sets E2E_PORT and E2E_DATABASE_URL; locally
 * the defaults keep the suites off port 3000 and off any developer's own database.
 */
export const e2ePort = Number(process.env.E2E_PORT || 3200);
export const baseURL = `http://127.0.0.1:${e2ePort}`;
export const e2eDatabaseUrl = process.env.E2E_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/hub_e2e";

/**
 * Environment of every server (and operator command) the suites start: production mode, worker on, secrets fixed
 * for the run. Every variable the hub reads is given, empty (unset, to the hub) where the suite wants its default:
 * the processes also inherit the environment of the shell that runs the suites, whose SECRETS_KEY, REDIS_URL or
 * TRUSTED_PROXIES must not reach them.
 */
export function serverEnv(databaseUrl: string | undefined, port: number, extra: Record<string, string> = {}): Record<string, string> {
  const unset = Object.fromEntries(configuration.map(({ name }) => [name, ""]));
  const base: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    WORKER: "on",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: "e2e-nextauth-secret-not-for-production",
    CURSOR_SECRET: "e2e-cursor-secret",
    SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,2,4",
  };
  if (databaseUrl) base.DATABASE_URL = databaseUrl;
  return { ...unset, ...base, ...extra };
}
