import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { accounts, auditLog, skus } from "@/db/schema";
import { authenticateKey } from "@/lib/auth/api-keys";
import { EmbeddedDatabaseServer, serverInfoPath } from "@/lib/cli/embedded-server";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";

const tsx = path.resolve("node_modules/.bin/tsx");
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hub-apikey-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the command as a user would (`npm run --silent apikey -- …`), with exactly the environment given. */
function apikey(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NODE_ENV: "test" as const };
  return new Promise((resolve) => {
    const child = spawn(tsx, ["lib/cli/apikey.ts", ...args], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function expectWorkingKey(handle: DatabaseHandle, key: string, expected: { account: string; environment: "sandbox" | "live"; role: "partner" | "warehouse" }) {
  const auth = await authenticateKey(handle.db, key, 600);
  expect(auth).not.toBeNull();
  const [account] = await handle.db.select().from(accounts).where(eq(accounts.id, auth!.accountId));
  expect({ account: account.name, environment: auth!.environment, role: auth!.role }).toEqual(expected);
  return auth!;
}

/** Each case spawns the real command (tsx start-up, a fresh PGlite migrated): slow on a busy machine. */
const SLOW = { timeout: 240_000 };

const KEY_LINE = /^wms_(test|live)_[A-Za-z0-9]{40}\n$/;

describe("npm run apikey", () => {
  it("prints only the key, which authenticates, for a new sandbox account that starts with stock (embedded directory)", SLOW, async () => {
    const dataDir = tempDir();
    const result = await apikey(["--account", "CLI Partner", "--env", "sandbox"], { DATA_DIR: dataDir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(KEY_LINE);
    expect(result.stdout.startsWith("wms_test_")).toBe(true);
    expect(existsSync(path.join(dataDir, "owner.json"))).toBe(false); // the directory was released

    // url "": embedded even when the suite runs on PostgreSQL.
    const handle = createDatabase({ url: "", dataDir });
    try {
      const auth = await expectWorkingKey(handle, result.stdout.trim(), { account: "CLI Partner", environment: "sandbox", role: "partner" });
      const starter = await handle.db.select({ sku: skus.sku }).from(skus).where(eq(skus.accountId, auth.accountId));
      expect(starter.length).toBeGreaterThan(0);
      // Issued through the Admin page's verb, so it is in the audit log, by the command, without the key.
      const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, auth.keyId));
      expect(audit).toEqual([expect.objectContaining({ action: "issued", source: "cli", actor: expect.stringMatching(/^cli:/), accountId: auth.accountId, environment: "sandbox" })]);
      expect(JSON.stringify(audit)).not.toContain(result.stdout.trim());
    } finally {
      await handle.close();
    }
  });

  it("reaches the running app's embedded database through its socket server", SLOW, async () => {
    const dataDir = tempDir();
    // url "": embedded even when the suite runs on PostgreSQL.
    const handle = createDatabase({ url: "", dataDir });
    await migrateDatabase(handle);
    if (handle.mode !== "embedded") throw new Error("expected an embedded handle");
    const server = new EmbeddedDatabaseServer(handle.pglite, { port: 0 });
    const { host, port } = await server.start();
    writeFileSync(serverInfoPath(dataDir), JSON.stringify({ pid: process.pid, host, port, startedAt: new Date().toISOString() }));
    try {
      const result = await apikey(["--account", "Warehouse Partner", "--env", "live", "--role", "warehouse"], { DATA_DIR: dataDir });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(KEY_LINE);
      expect(result.stdout.startsWith("wms_live_")).toBe(true);
      await expectWorkingKey(handle, result.stdout.trim(), { account: "Warehouse Partner", environment: "live", role: "warehouse" });
    } finally {
      await server.stop();
      await handle.close();
    }
  });

  it("refuses bad arguments with exit 1, nothing on stdout, and nothing written", SLOW, async () => {
    const dataDir = tempDir();
    for (const args of [[], ["--account", "X", "--env", "staging"], ["--account", "X", "--role", "admin"], ["--account", "X", "--unknown"]]) {
      const result = await apikey(args, { DATA_DIR: dataDir });
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("usage: npm run --silent apikey");
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  describe.skipIf(!onPostgres)(`on PostgreSQL (${needsPostgres})`, () => {
    it("creates the account and a working key in the DATABASE_URL database", SLOW, async () => {
      // A database of its own: the command migrates it and adds sandbox reference data.
      const url = new URL(process.env.TEST_DATABASE_URL!);
      const name = `${url.pathname.slice(1)}_apikey`;
      const admin = new URL(url);
      admin.pathname = "/postgres";
      const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.unsafe(`create database ${name}`);
      await sql.end();
      url.pathname = `/${name}`;

      const result = await apikey(["--account", "PG Partner"], { DATABASE_URL: url.toString() });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(KEY_LINE);
      const handle = createDatabase({ url: url.toString(), poolMax: 1 });
      try {
        await expectWorkingKey(handle, result.stdout.trim(), { account: "PG Partner", environment: "sandbox", role: "partner" });
      } finally {
        await handle.close();
      }
    });
  });
});
