import { createDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { initEnvForTests } from "@/lib/env";
import { recreateDatabase } from "./database";
import { suiteEnvironment, testDatabaseUrl } from "./vitest-env";

/**
 * With TEST_DATABASE_URL, the suite runs against a real PostgreSQL: the database is dropped, re-created and
 * migrated once. Without it, every test file gets its own in-memory PGlite (see vitest-setup.ts).
 */
export default async function globalSetup() {
  if (!testDatabaseUrl) return;
  initEnvForTests(suiteEnvironment());
  await recreateDatabase(testDatabaseUrl);
  const handle = createDatabase({ url: testDatabaseUrl, poolMax: 1 });
  await migrateDatabase(handle);
  await handle.close();
}
