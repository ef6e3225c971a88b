import postgres from "postgres";
import { APP_POOL_MAX } from "@/db/client";
import { env } from "@/lib/env";

/**
 * The bare routes exist only for the benchmark (e2e/bench/run.ts): the ceiling the API is compared with, the
 * same SQL without the framework of the API around it. They are routes only in the benchmark build (next.config.ts,
 * BENCH_BUILD), and answer 404 there without PostgreSQL.
 *
 * Their own postgres.js pool, the same size as the app's: the app's client is configured by Drizzle (its type
 * parsers and serializers return raw strings for Drizzle to map), which is not plain postgres.js.
 */
const holder = globalThis as unknown as { __benchSql?: postgres.Sql };

export function benchSql(): postgres.Sql | null {
  const { DATABASE_URL, DATABASE_POOL_MAX } = env();
  if (!DATABASE_URL) return null;
  holder.__benchSql ??= postgres(DATABASE_URL, { max: DATABASE_POOL_MAX ?? APP_POOL_MAX, onnotice: () => {} });
  return holder.__benchSql;
}

export const notFound = () => new Response("Not Found", { status: 404 });

/** The accounts e2e/bench/seed.ts creates; the bare routes have no authentication to find them by. */
export const benchAccounts = { orders: "acct_bench_orders", shipments: "acct_bench_shipments", environment: "live" } as const;
