import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests, setEnvForTests, type EnvValues } from "@/lib/env";

/**
 * With DATABASE_URL set and a shared secret missing, `npm start` and `npm run worker` stop at once with exit code 1
 * and one line naming the variable, before they build, connect or serve. (`npm run serve`, which is `next start`,
 * needs the production build: e2e/api/start-config.spec.ts.) The database address is unreachable on purpose: the
 * check must come before any connection.
 */

const SECRETS = {
  NEXTAUTH_SECRET: "a-session-secret-for-this-test",
  SECRETS_KEY: Buffer.alloc(32, 5).toString("base64"),
  CURSOR_SECRET: "a-cursor-secret-for-this-test",
};
const UNREACHABLE_DATABASE = "postgres://hub@127.0.0.1:9/hub";
// tsx compiles before the check runs: seconds on a busy machine. A process that starts serving never ends by itself.
const BOUND_MS = 60_000;

const dataDir = mkdtempSync(path.join(os.tmpdir(), "hub-start-checks-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Outcome = { code: number | null; stdout: string; stderr: string; ms: number };

/** Runs a command with exactly this environment, killing it if it is still running after BOUND_MS. */
function run(args: string[], env: Record<string, string>): Promise<Outcome> {
  const started = Date.now();
  // NODE_ENV as deployments set it (`npm start` sets it itself); unset is checked in-process below.
  const base = { NODE_ENV: "production" as const, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), DATA_DIR: dataDir };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), BOUND_MS);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function without(variable: keyof typeof SECRETS): Record<string, string> {
  const env: Record<string, string> = { ...SECRETS, DATABASE_URL: UNREACHABLE_DATABASE };
  delete env[variable];
  return env;
}

function expectRefused(outcome: Outcome, variable: string) {
  expect({ code: outcome.code, stderr: outcome.stderr.trimEnd().split("\n") }).toEqual({
    code: 1,
    stderr: [expect.stringMatching(new RegExp(`^\\[hub\\] not started: ${variable} `))],
  });
  expect(outcome.ms).toBeLessThan(BOUND_MS);
}

const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");

describe("npm start (lib/cli/start.mjs) with DATABASE_URL", () => {
  it.each(Object.keys(SECRETS) as (keyof typeof SECRETS)[])("exits 1 with one line naming %s when it is missing, before building", { timeout: BOUND_MS * 2 }, async (variable) => {
    const buildId = path.resolve(".next/BUILD_ID");
    const builtBefore = existsSync(buildId);
    const outcome = await run(["lib/cli/start.mjs"], without(variable));
    expectRefused(outcome, variable);
    expect(outcome.stdout).not.toMatch(/building|starting on/);
    expect(existsSync(buildId)).toBe(builtBefore);
  });

  it("exits 1 with one line naming any malformed variable, not only a secret, before building", { timeout: BOUND_MS * 2 }, async () => {
    const buildId = path.resolve(".next/BUILD_ID");
    const builtBefore = existsSync(buildId);
    const outcome = await run(["lib/cli/start.mjs"], { ...SECRETS, DATABASE_URL: UNREACHABLE_DATABASE, DASHBOARD_TIMEZONE: "Mars/Olympus_Mons" });
    expectRefused(outcome, "DASHBOARD_TIMEZONE");
    expect(outcome.stdout).not.toMatch(/building|starting on/);
    expect(existsSync(buildId)).toBe(builtBefore);
  });
});

describe("npm run worker (lib/cli/worker.ts) with DATABASE_URL", () => {
  it("exits 1 with one line naming SECRETS_KEY when it is missing (the worker decrypts signing secrets with it)", { timeout: BOUND_MS * 2 }, async () => {
    expectRefused(await run([tsx, "lib/cli/worker.ts"], without("SECRETS_KEY")), "SECRETS_KEY");
  });

  it("exits 1 with one line naming SECRETS_KEY when it is not 32 bytes", { timeout: BOUND_MS * 2 }, async () => {
    expectRefused(await run([tsx, "lib/cli/worker.ts"], { ...SECRETS, SECRETS_KEY: "c2hvcnQ=", DATABASE_URL: UNREACHABLE_DATABASE }), "SECRETS_KEY");
  });

  it("exits 1 with one line naming a malformed retry schedule, instead of failing at its first retry", { timeout: BOUND_MS * 2 }, async () => {
    expectRefused(await run([tsx, "lib/cli/worker.ts"], { ...SECRETS, DATABASE_URL: UNREACHABLE_DATABASE, WEBHOOK_RETRY_SCHEDULE_SECONDS: "10,1m" }), "WEBHOOK_RETRY_SCHEDULE_SECONDS");
  });
});

describe("which processes must be given the shared secrets", () => {
  afterEach(() => {
    resetEnvForTests();
    vi.resetModules();
  });

  async function freshChecks(environment: EnvValues) {
    setEnvForTests(environment);
    vi.resetModules();
    return import("./start-checks");
  }

  it("every process with DATABASE_URL, NODE_ENV unset included (`npm run worker` does not set it)", async () => {
    const { checkWorkerConfiguration } = await freshChecks({ ...SECRETS, SECRETS_KEY: undefined, DATABASE_URL: UNREACHABLE_DATABASE, NODE_ENV: undefined });
    expect(() => checkWorkerConfiguration()).toThrow(expect.objectContaining({ name: "ConfigurationError", variable: "SECRETS_KEY" }));
  });

  it("not development against a local PostgreSQL, which may keep generated ones in DATA_DIR", async () => {
    const { checkServerConfiguration } = await freshChecks({ NEXTAUTH_SECRET: undefined, SECRETS_KEY: undefined, CURSOR_SECRET: undefined, DATABASE_URL: UNREACHABLE_DATABASE, NODE_ENV: "development", DATA_DIR: dataDir });
    expect(() => checkServerConfiguration()).not.toThrow();
  });
});
