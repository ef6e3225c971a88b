import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".next-bench/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts", "playwright-report/**", "test-results/**"] },
  // Configuration has one home: lib/env.ts reads, validates and documents every variable (see the README's table).
  {
    files: ["app/**", "components/**", "db/**", "lib/**", "proxy.ts", "next.config.ts"],
    ignores: ["lib/env.ts", "lib/cli/start.mjs", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through env() from lib/env.ts, where each variable is defined, validated and documented." }],
    },
  },
  // Production code never imports test support or the benchmark: they live in e2e/, and the production build must not
  // contain them (e2e/api/shipped-build.spec.ts). The tests beside the code import e2e/support freely.
  {
    files: ["app/**", "components/**", "db/**", "lib/**"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(@/|(\\.\\./)+)e2e/", message: "Production code does not import test support or benchmark code (e2e/)." }] },
      ],
    },
  },
];

export default config;
