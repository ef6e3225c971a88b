import type { NextConfig } from "next";
import { benchBuild } from "./lib/env";

// The benchmark's bare routes (app/bench/*/route.bench.ts) are routes only in the benchmark build: with BENCH_BUILD,
// `next build` adds the `bench.ts` extension and builds into a folder of its own, so a production build never
// contains them and building the benchmark never overwrites the production build. `next start` reads this file too:
// it serves the benchmark build only with the same BENCH_BUILD (e2e/bench/run.ts sets it for both). Types are
// checked by `tsc --noEmit` and the production build; the benchmark build only measures, and its TypeScript
// configuration extends the project's so that Next.js leaves tsconfig.json alone.
const benchmarkBuild: Partial<NextConfig> = {
  distDir: ".next-bench",
  pageExtensions: ["tsx", "ts", "bench.ts"],
  typescript: { tsconfigPath: "e2e/bench/tsconfig.build.json", ignoreBuildErrors: true },
};

const nextConfig: NextConfig = {
  ...(benchBuild() ? benchmarkBuild : {}),
  // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
  // rate-limiter-flexible loads its store drivers (drizzle-orm, ioredis) with runtime imports a bundler cannot follow.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "rate-limiter-flexible"],
  poweredByHeader: false,
  // On every response, API and assets included: no guessing a content type other than the one sent, no framing
  // (older browsers; the pages' Content-Security-Policy from proxy.ts says frame-ancestors 'none'), and no dashboard
  // address (order numbers, searches) handed to other sites in the Referer.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
