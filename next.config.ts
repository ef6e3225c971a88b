import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
