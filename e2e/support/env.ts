/**
 * Where the Playwright suites find the server and its database. CI sets E2E_PORT and E2E_DATABASE_URL; locally
 * the defaults keep the suites off port 3000 and off any developer's own database.
 */
export const e2ePort = Number(process.env.E2E_PORT || 3200);
export const baseURL = `http://127.0.0.1:${e2ePort}`;
export const e2eDatabaseUrl = process.env.E2E_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/hub_e2e";

/** Environment of every server the suites start: production mode, worker on, secrets fixed for the run. */
export function serverEnv(databaseUrl: string | undefined, port: number, extra: Record<string, string> = {}): Record<string, string> {
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
  return { ...base, ...extra };
}

/** Drops and re-creates a database on the local PostgreSQL (names are ours: [a-z0-9_] only). */
export function databaseName(url: string): string {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name '${name}' must be [a-z0-9_]`);
  return name;
}
