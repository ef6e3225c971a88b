import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import type { DatabaseHandle } from "./client";

const MIGRATION_LOCK = 724_311; // any constant: serializes migrations of app instances starting together

/** Applies pending drizzle-kit migrations. Safe when several instances start at once (advisory lock). */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const migrationsFolder = path.resolve(/*turbopackIgnore: true*/ env().MIGRATIONS_DIR);
  if (handle.mode === "embedded") {
    await migratePglite(handle.db as never, { migrationsFolder });
    return;
  }
  // One dedicated connection: the advisory lock is held by the session that migrates.
  const sql = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
