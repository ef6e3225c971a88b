import type { FullConfig } from "@playwright/test";
import { issueKey, uniqueName } from "./cli";
import { e2eDatabaseUrl } from "./playwright-env";

/**
 * Runs after the web server is up (Playwright starts webServer before global setup; the database itself is
 * re-created by the webServer command). Checks once that the operator CLI works against the e2e database, so a
 * broken CLI fails the run with one clear message instead of one per spec. Specs make their own accounts.
 */
export default async function globalSetup(config: FullConfig) {
  void config;
  process.env.E2E_DATABASE_URL = e2eDatabaseUrl;
  await issueKey({ account: uniqueName("setup"), env: "sandbox" });
}
