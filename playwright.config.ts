import { defineConfig } from "@playwright/test";
import { baseURL, e2eDatabaseUrl, e2ePort, serverEnv } from "./e2e/support/playwright-env";

// Debian's Chromium (no browser download on these machines). The flags keep it from reaching for the network,
// which is closed here, at every start.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
};

export default defineConfig({
  testDir: "e2e",
  testIgnore: ["bench/**", "support/**"],
  globalSetup: "./e2e/support/playwright-global-setup.ts",
  outputDir: "test-results",
  // Two cores: one for the server, one for the tests (and the browser).
  workers: process.env.CI ? 2 : 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    extraHTTPHeaders: { accept: "application/json" },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    // HTTP only: the request fixture, no browser is launched.
    { name: "api", testDir: "e2e/api" },
    {
      name: "ui",
      testDir: "e2e/ui",
      use: { browserName: "chromium", launchOptions: chromium, viewport: { width: 1360, height: 900 } },
    },
  ],
  webServer: {
    // The production server (`next build` must have run), on a database re-created for this run.
    command: `npx tsx e2e/support/playwright-reset-database.ts && npx next start -p ${e2ePort}`,
    // Any answer from the API means routes are compiled and instrumentation (migrations) has run.
    url: `${baseURL}/v1/warehouses`,
    env: serverEnv(e2eDatabaseUrl, e2ePort),
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
