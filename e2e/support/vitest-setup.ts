import { afterAll, beforeAll } from "vitest";
import { database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { initEnvForTests } from "@/lib/env";
import { suiteEnvironment } from "./vitest-env";

initEnvForTests(suiteEnvironment());

beforeAll(async () => {
  const handle = database();
  if (handle.mode === "embedded") await migrateDatabase(handle);
});

afterAll(async () => {
  await database().close();
});
