import type postgres from "postgres";
import { database } from "@/db/client";

/**
 * The bare routes exist only for the benchmark (e2e/bench/run.ts): the ceiling the API is compared with, the
 * same SQL without the framework of the API around it. Outside a benchmark run they do not exist (404).
 */
export function benchSql(): postgres.Sql | null {
  if (process.env.BENCH_ROUTES !== "1") return null;
  const handle = database();
  return handle.mode === "postgres" ? handle.sql : null;
}

export const notFound = () => new Response("Not Found", { status: 404 });

/** The accounts e2e/bench/seed.ts creates; the bare routes have no authentication to find them by. */
export const benchAccounts = { orders: "acct_bench_orders", shipments: "acct_bench_shipments", environment: "live" } as const;
