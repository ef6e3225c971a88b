#!/usr/bin/env node
/**
 * `npm start`: checks the configuration, builds the app when there is no production build, or when the build is
 * older than the last commit (a `git pull` since), then serves it with `next start` on PORT (default 3000). Without
 * DATABASE_URL the app runs on its embedded database in DATA_DIR (default ./.data) with demo data.
 * Plain JavaScript: it must run before anything is built or compiled.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const buildId = path.join(root, ".next", "BUILD_ID");
// The one place besides lib/env.ts that reads variables (NEXT_TELEMETRY_DISABLED, PORT): this file is plain JavaScript
// that runs before any TypeScript can, so it cannot import the definitions. They are defined (defaults included) and
// validated there all the same: check-config.ts parses the whole environment before PORT is used below.
const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED || "1" };

function lastCommitMs() {
  try {
    const out = execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
    return Number(out.toString().trim()) * 1000 || 0;
  } catch {
    return 0; // not a git checkout (an unpacked release): only a missing build triggers one
  }
}

function buildIsCurrent() {
  if (!existsSync(buildId)) return false;
  return statSync(buildId).mtimeMs >= lastCommitMs();
}

function run(args, bin = nextBin) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: "inherit" });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 128 + 15 : 1));
    });
  });
}

if (!existsSync(nextBin)) {
  console.error("Dependencies are missing: run `npm install` first.");
  process.exit(1);
}

// The server checks its configuration when it starts (lib/cli/start-checks.ts); the same check runs first here,
// so a missing secret is one line now rather than after a build.
const checked = await run(["lib/cli/check-config.ts"], tsxCli);
if (checked !== 0) process.exit(checked);

if (!buildIsCurrent()) {
  console.log(existsSync(buildId) ? "[hub] the build is older than the last commit: rebuilding…" : "[hub] no production build yet: building (a minute or two)…");
  const code = await run(["build"]);
  if (code !== 0) process.exit(code);
}

const port = process.env.PORT || "3000";
console.log(`[hub] starting on http://localhost:${port}`);
process.exit(await run(["start", "-p", port]));
