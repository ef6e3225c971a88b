import postgres from "postgres";
import { createDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { initEnvForTests } from "@/lib/env";
import { suiteEnvironment, testDatabaseUrl } from "@/lib/testing/env";

/**
 * With TEST_DATABASE_URL, the suite runs against a real PostgreSQL: the database is dropped, re-created and
 * migrated once. Without it, every test file gets its own in-memory PGlite (see setup.ts).
 */
export default async function globalSetup() {
  const url = testDatabaseUrl;
  if (!url) return;
  initEnvForTests(suiteEnvironment());
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`TEST_DATABASE_URL database name '${name}' must be [a-z0-9_]`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists ${name} with (force)`);
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const handle = createDatabase({ url, poolMax: 1 });
  await migrateDatabase(handle);
  await handle.close();
}
