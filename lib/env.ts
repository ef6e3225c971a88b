import { z } from "zod";

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  // Empty is unset, as the database client reads it (`DATABASE_URL= npm start` runs embedded).
  DATABASE_URL: z.preprocess((value) => (value === "" ? undefined : value), z.string().url().optional()),
  DATA_DIR: z.string().default("./.data"),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  REDIS_URL: z.string().optional(),
  /** Signs pagination cursors; stable across instances so a cursor from one works on another. */
  CURSOR_SECRET: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  /** Base64 of 32 bytes; encrypts the secrets the hub must read back (webhook signing secrets, shop tokens). */
  SECRETS_KEY: z.string().optional(),
  WORKER: z.enum(["on", "off"]).default("on"),
  /** Reverse proxies in front of the app that append to X-Forwarded-For: where the client's address is read. */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
});

export type Env = z.infer<typeof envSchema>;

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

let cached: Env | undefined;

/** Environment variables, validated once on first use (never at import time). */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const variable = String(issue.path[0]);
    throw new ConfigurationError(variable, `${variable} is not valid: ${issue.message}.`);
  }
  cached = parsed.data;
  return cached;
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
