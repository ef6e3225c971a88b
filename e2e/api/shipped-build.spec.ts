import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * The production build (the one these suites run against) holds the product only: no benchmark route (those are
 * routes only in the benchmark build, see next.config.ts) and no test support (e2e/support: the fake Shopify Admin
 * API, factories, the webhook receiver). Production code must not import them (eslint.config.mjs); this reads what
 * the build actually contains.
 */

const server = path.resolve(".next/server");

/** Every file of the server output, as paths relative to it. */
function serverFiles(): string[] {
  return readdirSync(server, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(server, path.join(entry.parentPath, entry.name)));
}

test("the production build routes no /bench path", () => {
  const routes = Object.keys(JSON.parse(readFileSync(path.join(server, "app-paths-manifest.json"), "utf8")) as Record<string, string>);
  expect(routes, "the manifest lists the app's routes").toContain("/v1/orders/route");
  expect(routes.filter((route) => route.startsWith("/bench"))).toEqual([]);
});

test("the server output contains no benchmark or test-support module", () => {
  const files = serverFiles();
  expect(files.length, "a production build is there (next build)").toBeGreaterThan(50);
  // Chunk names follow their modules' paths (app_bench_orders_route…), and the bundler names every module it bundles
  // "[project]/<its path>" in the chunk that carries it and in the source maps.
  expect(files.filter((file) => /(^|[/_])(app[/_]bench|e2e)[/_]/.test(file))).toEqual([]);
  const carrying = files.filter((file) => {
    const text = readFileSync(path.join(server, file), "utf8");
    return text.includes("[project]/app/bench/") || text.includes("[project]/e2e/");
  });
  expect(carrying).toEqual([]);
});
