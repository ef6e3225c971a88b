import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./.data"),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  REDIS_URL: z.string().optional(),
  /** Signs pagination cursors; stable across instances so a cursor from one works on another. */
  CURSOR_SECRET: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  WORKER: z.enum(["on", "off"]).default("on"),
  /** Reverse proxies in front of the app that append to X-Forwarded-For: where the client's address is read. */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Environment variables, validated once on first use (never at import time). */
export function env(): Env {
  cached ??= envSchema.parse(process.env);
  return cached;
}
