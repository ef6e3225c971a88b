import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "db/**/*.test.ts"],
    globalSetup: ["e2e/support/vitest-global-setup.ts"],
    setupFiles: ["e2e/support/vitest-setup.ts"],
    pool: "forks",
    // Two cores: more workers only fight over them (and over PostgreSQL).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
