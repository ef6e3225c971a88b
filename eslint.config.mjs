import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".next-bench/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts", "playwright-report/**", "test-results/**"] },
  // Configuration has one home: lib/env.ts reads, validates and documents every variable (see the README's table).
  {
    files: ["app/**", "components/**", "db/**", "lib/**", "proxy.ts", "next.config.ts"],
    ignores: ["lib/env.ts", "lib/cli/start.mjs", "**/*.test.ts", "lib/testing/**", "**/testing/**", "**/testing.ts", "**/test-support.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through env() from lib/env.ts, where each variable is defined, validated and documented." }],
    },
  },
];

export default config;
