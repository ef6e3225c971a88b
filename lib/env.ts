import { z } from "zod";

/*
 * Every environment variable the hub reads is defined here, once: how it is parsed (with zod) and what it means. The
 * README's configuration table is checked against these definitions (env.test.ts). Nothing else reads process.env,
 * except lib/cli/start.mjs (plain JavaScript that runs before anything is compiled) and instrumentation.ts
 * (NEXT_RUNTIME and NEXT_PHASE, facts Next.js gives about the process, not configuration).
 * An empty variable counts as unset: `DATABASE_URL= npm start` runs on the embedded database.
 */

/** Whole numbers in a range; the message continues "<VARIABLE> must be …". */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  const error = max === Number.MAX_SAFE_INTEGER ? `a whole number, ${min} or more` : `a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-AU", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const flag = z.stringbool({ truthy: ["true", "1"], falsy: ["false", "0"], error: "true or false" });

const MAX_RETRY_STEP_SECONDS = 7 * 24 * 3600;

/**
 * A retry schedule: the seconds to wait after the 1st, 2nd, … failed attempt, separated by commas ("5,30,120").
 * After the last step the work is dead. The one parser of every queue's schedule.
 */
export const retrySchedule = z.string().transform((text, ctx) => {
  const steps = text.split(",").map((part) => (part.trim() === "" ? Number.NaN : Number(part.trim())));
  if (steps.some((s) => !Number.isFinite(s) || s < 0 || s > MAX_RETRY_STEP_SECONDS)) {
    ctx.addIssue({ code: "custom", message: `seconds separated by commas (e.g. 5,30,120), each from 0 to ${MAX_RETRY_STEP_SECONDS}` });
    return z.NEVER;
  }
  return steps;
});

/** A variable with a default value, which goes through the same parser as a value that is set. */
function withDefault<S extends z.ZodType>(value: string, parse: S, description: string) {
  return { schema: z.preprocess((raw) => (raw === undefined || raw === "" ? value : raw), parse), default: `\`${value}\``, description };
}

/** A variable that may stay unset; `whenUnset` says what happens then. */
function optional<S extends z.ZodType>(whenUnset: string, parse: S, description: string) {
  return { schema: z.preprocess((raw) => (raw === "" ? undefined : raw), parse.optional()), default: whenUnset, description };
}

const GENERATED = "generated in `DATA_DIR` (embedded only)";

const variables = {
  DATABASE_URL: optional(
    "unset → embedded",
    z.url({ protocol: /^postgres(ql)?$/, error: "a postgres:// URL" }),
    "PostgreSQL connection string (`postgres://user:pass@host:5432/db`). Unset: embedded PGlite in `DATA_DIR`, with demo data on first start.",
  ),
  DATA_DIR: withDefault("./.data", z.string(), "Where the embedded database and its generated secrets live."),
  PORT: withDefault("3000", wholeNumber(1, 65535), "HTTP port of `npm start`."),
  NODE_ENV: optional(
    "set by Next.js",
    z.enum(["development", "production", "test"], { error: "development, production or test" }),
    "`production` under `npm start` and `npm run serve`, `development` under `npm run dev`; unset for `npm run worker` and the other commands. With `development` or `test` the shared secrets may be generated even with `DATABASE_URL`.",
  ),
  NEXT_TELEMETRY_DISABLED: withDefault("1", z.string(), "Next.js's own: `npm start` turns its telemetry off unless this is set."),
  NEXTAUTH_SECRET: optional(GENERATED, z.string(), "Signs dashboard sessions. **Required with `DATABASE_URL`** (see below): every instance must share it."),
  NEXTAUTH_URL: optional(
    "the request's host",
    z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" }),
    "Public base URL of the dashboard (`https://hub.example.com`). Set it behind a proxy or TLS terminator.",
  ),
  SECRETS_KEY: optional(
    GENERATED,
    z.string().refine((value) => Buffer.from(value, "base64").length === 32, { error: "the base64 encoding of exactly 32 bytes (openssl rand -base64 32)" }),
    "Base64 of 32 bytes (`openssl rand -base64 32`); encrypts webhook secrets and shop tokens. **Required with `DATABASE_URL`** (see below), by the server and the worker; a malformed one stops them too.",
  ),
  CURSOR_SECRET: optional(
    GENERATED,
    z.string(),
    "Signs pagination cursors so a tampered or forged one is refused. **Required with `DATABASE_URL`** (see below), one value for all instances. Changing it refuses the cursors already handed out (`400 invalid_cursor`; pollers resume from `updated_since`).",
  ),
  API_RATE_LIMIT_PER_MINUTE: withDefault(
    "600",
    wholeNumber(1),
    "Requests per API key per minute (per-account override in `accounts.rate_limit_per_minute`). Counted in the database, so the limit holds across instances.",
  ),
  IDEMPOTENCY_WAIT_MS: withDefault(
    "10000",
    wholeNumber(1),
    "How long a request repeating an `Idempotency-Key` waits for the first one to finish before it answers `409 idempotency_in_progress`.",
  ),
  TRUSTED_PROXIES: withDefault(
    "0",
    wholeNumber(0, 10),
    "How many reverse proxies (load balancer, TLS terminator, CDN) in front of the app append to `X-Forwarded-For`; the sign-in throttle reads the client's address from the entry the outermost of them appended. See [Dashboard security](#dashboard-security).",
  ),
  DASHBOARD_TIMEZONE: withDefault(
    "Australia/Sydney",
    z.string().refine(isTimeZone, { error: "an IANA time zone (Australia/Perth, UTC)" }),
    "Time zone (IANA name) of the times the dashboard shows.",
  ),
  WORKER: withDefault("on", z.enum(["on", "off"], { error: "on or off" }), "`off` on instances that should only serve HTTP; run `npm run worker` separately."),
  DATABASE_POOL_MAX: optional("`10` (`npm run` commands and `npm run worker`: `4`)", wholeNumber(1), "Connections per process to PostgreSQL."),
  WORKER_POOL_MAX: withDefault("4", wholeNumber(1), "Connections of the app's own worker to PostgreSQL: a pool of its own, so API traffic cannot starve it."),
  DATABASE_PREPARE: withDefault(
    "true",
    flag,
    "Statements are prepared once per connection (one round trip each instead of two). Set `false` behind a pooler that cannot keep prepared statements (PgBouncer before 1.21, or without `max_prepared_statements`).",
  ),
  EMBEDDED_DB_PORT: withDefault(
    "54329",
    wholeNumber(0, 65535),
    "Loopback port on which the running app lends its embedded database to CLI commands (`npm run apikey` etc. while `npm start` runs); `0` takes any free one.",
  ),
  MIGRATIONS_DIR: withDefault("db/migrations", z.string(), "Where the migrations are read from, relative to the working directory."),
  REDIS_URL: optional("unset", z.url({ protocol: /^rediss?$/, error: "a redis:// or rediss:// URL" }), "Optional shared store for the Shopify cost limiter (else the database)."),
  WEBHOOK_ALLOW_PRIVATE_URLS: withDefault(
    "false",
    flag,
    "`true` lets webhook endpoints be private, loopback or link-local addresses (self-hosting, receivers on your own machine). See [Webhooks](#webhooks).",
  ),
  WEBHOOK_RETRY_SCHEDULE_SECONDS: optional(
    "`10,60,300,1800`, then hourly for 24 h",
    retrySchedule,
    "Seconds between webhook delivery attempts. Set, it replaces the schedule: the delivery is dead after its last step (`1,2,4` for demos).",
  ),
  SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS: withDefault(
    "5,30,120,600,1800,3600,3600,3600",
    retrySchedule,
    "Seconds between attempts at a Shopify webhook that could not be processed yet; after the last it is a dead letter.",
  ),
  SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS: withDefault(
    "10,60,300,1800,3600,3600,3600",
    retrySchedule,
    "Seconds between attempts at a failed push to Shopify (fulfillments, inventory); after the last it is a dead letter.",
  ),
  SHOPIFY_ADMIN_TIMEOUT_MS: withDefault("10000", wholeNumber(1), "Timeout of one Shopify Admin API call."),
  SHOPIFY_RECONCILE_INTERVAL_SECONDS: optional(
    "each shop's own (15 min)",
    wholeNumber(1),
    "Seconds between inventory reconciliation passes of every shop, instead of each connection's `inventory_sync_interval_seconds`.",
  ),
  SHOPIFY_RECONCILE_SLICE: withDefault("200", wholeNumber(1), "Synced rows re-read from Shopify per reconciliation pass besides the changed ones, least recently checked first."),
  METRICS_SAMPLE_INTERVAL_SECONDS: withDefault("60", wholeNumber(1), "Seconds between samples of the gauges on **/metrics** (dead-letter depth, oldest waiting stock change)."),
  BENCH_BUILD: withDefault(
    "false",
    flag,
    "`true` makes `next build` the benchmark build, in `.next-bench`: the app plus the bare routes of `app/bench` (`/bench/*`, unauthenticated, PostgreSQL only); `next start` serves it only with the same value. `npm run bench` sets it (see `e2e/bench/`). Never in production.",
  ),
};

type Variables = typeof variables;
export type EnvName = keyof Variables;

const envSchema = z.object(
  Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, variable.schema])) as { [Name in EnvName]: Variables[Name]["schema"] },
);

export type Env = z.infer<typeof envSchema>;

/** What the README's configuration table must say, row by row: name, default, meaning. */
export const configuration = Object.entries(variables).map(([name, variable]) => ({ name: name as EnvName, default: variable.default, description: variable.description }));

/** A variable that is missing or malformed, named, so a process can refuse to start with one line that says which. */
export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = "ConfigurationError";
  }
}

/** Raw values as the environment holds them (undefined: unset). */
export type EnvValues = Partial<Record<EnvName, string | undefined>>;

type EnvState = { parsed?: Env; forTests?: { base: EnvValues; changes: EnvValues } };

// On globalThis, like the database handle: Next.js bundles route handlers and instrumentation separately, and a test
// that re-imports modules (vi.resetModules) must still see the values its suite chose.
const state = ((globalThis as unknown as { __hubEnv?: EnvState }).__hubEnv ??= {});

function parse(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const named = parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message }));
  throw new ConfigurationError(named[0].variable, `${named.map(({ variable, message }) => `${variable} must be ${message}`).join("; ")}.`);
}

/**
 * The configuration, parsed and validated on first use (never at import time) and kept. A malformed variable is a
 * ConfigurationError naming it (all of them, in one line): the start checks call this first, so a process with
 * one does not start.
 */
export function env(): Env {
  state.parsed ??= parse(state.forTests ? { ...state.forTests.base, ...state.forTests.changes } : process.env);
  return state.parsed;
}

/** Tests: the configuration is these values, not the process environment, so the shell that runs a suite cannot change it. */
export function initEnvForTests(values: EnvValues): void {
  state.forTests = { base: values, changes: {} };
  state.parsed = undefined;
}

/** Tests: changes some values (undefined unsets one), parsed like the real environment, until resetEnvForTests(). */
export function setEnvForTests(changes: EnvValues): void {
  if (!state.forTests) throw new Error("setEnvForTests needs initEnvForTests first (e2e/support/vitest-setup.ts)");
  state.forTests.changes = { ...state.forTests.changes, ...changes };
  state.parsed = undefined;
}

/** Tests: back to the values initEnvForTests() gave. */
export function resetEnvForTests(): void {
  if (state.forTests) state.forTests.changes = {};
  state.parsed = undefined;
}

/**
 * next.config.ts: whether `next build` and `next start` work on the benchmark build. BENCH_BUILD alone is parsed, and
 * not kept: any other variable is still checked by the start checks, which name a malformed one in one line, and the
 * running app's env() does not depend on the moment Next.js loads its configuration.
 */
export function benchBuild(): boolean {
  return parse({ BENCH_BUILD: process.env.BENCH_BUILD }).BENCH_BUILD;
}

/**
 * Whether the secrets every instance shares must come from the environment: with DATABASE_URL several instances
 * (and workers) share one database, and a secret each generated for itself would break the others' sessions,
 * stored ciphertexts and cursors. Development and tests on PostgreSQL may still use generated ones.
 */
export function sharedSecretsRequired(): boolean {
  const { DATABASE_URL, NODE_ENV } = env();
  return Boolean(DATABASE_URL) && NODE_ENV !== "development" && NODE_ENV !== "test";
}
