import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
  // rate-limiter-flexible loads its store drivers (drizzle-orm, ioredis) with runtime imports a bundler cannot follow.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "rate-limiter-flexible"],
  poweredByHeader: false,
};

export default nextConfig;
