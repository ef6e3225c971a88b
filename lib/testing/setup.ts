import { afterAll, beforeAll } from "vitest";
import { database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

if (process.env.TEST_DATABASE_URL) {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  process.env.DATABASE_POOL_MAX ??= "20";
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = "memory://";
}
process.env.WORKER = "off";
// The suite's own, as a deployment sets it: nothing generated into a data directory.
process.env.CURSOR_SECRET = "test-cursor-secret";
// Webhook receivers in tests are local servers, as on a self-hosted deployment; the URL policy's tests turn it off.
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = "true";

beforeAll(async () => {
  const handle = database();
  if (handle.mode === "embedded") await migrateDatabase(handle);
});

afterAll(async () => {
  await database().close();
});
