import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { e2eDatabaseUrl, e2ePort, serverEnv } from "../support/playwright-env";

/**
 * `npm run serve` (`next start` on the production build) with DATABASE_URL and a shared secret missing used to stay
 * up and answer 500 to every request. It must stop at start: exit code 1, one line naming the variable, and no
 * request answered meanwhile. (`npm start` and the worker: lib/cli/start-checks.test.ts.)
 */

const nextBin = path.resolve("node_modules/next/dist/bin/next");
const port = e2ePort + 30;
const BOUND_MS = 30_000;

type Outcome = { code: number | null; stderr: string; answered: number[] };

async function serveWithout(variable: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, ...serverEnv(e2eDatabaseUrl, port) };
  delete env[variable];
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const timer = setTimeout(() => child.kill("SIGKILL"), BOUND_MS);
  // Knock while it starts: a server that stays up would answer (500, before this fix).
  const answered: number[] = [];
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v1/warehouses`, { signal: AbortSignal.timeout(2_000) });
      answered.push(response.status);
    } catch {
      // not listening, or cut off when the process ended
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  clearTimeout(timer);
  return { code: await exited, stderr, answered };
}

for (const variable of ["NEXTAUTH_SECRET", "SECRETS_KEY", "CURSOR_SECRET"]) {
  test(`next start with DATABASE_URL exits 1 at start with one line naming ${variable} when it is missing`, async () => {
    test.setTimeout(BOUND_MS * 2);
    const started = Date.now();
    const outcome = await serveWithout(variable);
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    expect({ code: outcome.code, answered: outcome.answered, stderr: outcome.stderr.trimEnd().split("\n") }).toEqual({
      code: 1,
      answered: [],
      stderr: [expect.stringMatching(new RegExp(`^\\[hub\\] not started: ${variable} is not set`))],
    });
  });
}
