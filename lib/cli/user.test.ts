import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { auditLog, dashboardUsers } from "@/db/schema";
import { verifyCredentials } from "@/lib/auth/dashboard-users";

const tsx = path.resolve("node_modules/.bin/tsx");
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the command as an operator would (`npm run --silent user -- …`) on its own embedded database directory. */
function user(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NODE_ENV: "test" as const, DATA_DIR: dataDir };
  return new Promise((resolve) => {
    const child = spawn(tsx, ["lib/cli/user.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Each run spawns the real command (tsx start-up, PGlite opened and migrated): slow on a busy machine. */
const SLOW = { timeout: 240_000 };

describe("npm run user", () => {
  it("goes through the Admin page's verbs: audited as the command, and the last active admin stays admin", SLOW, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "hub-user-"));
    dirs.push(dataDir);
    const created = await user(["--email", "Root@Example.test", "--role", "admin", "--password", "first password", "--name", "Root"], dataDir);
    expect(created).toMatchObject({ code: 0, stdout: "root@example.test (admin) can sign in.\n", stderr: "" });

    // The only admin of this database: demoting it is refused, and nothing of the run is kept (not even the password).
    const demoted = await user(["--email", "root@example.test", "--role", "ops", "--password", "second password"], dataDir);
    expect(demoted.code).toBe(1);
    expect(demoted.stdout).toBe("");
    expect(demoted.stderr).toContain("root@example.test is the last active admin: make another user admin first.");

    const handle = createDatabase({ url: "", dataDir });
    try {
      expect(await verifyCredentials(handle.db, "root@example.test", "first password")).toMatchObject({ role: "admin", name: "Root" });
      const [row] = await handle.db.select().from(dashboardUsers).where(eq(dashboardUsers.email, "root@example.test"));
      const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, row.id));
      expect(audit).toEqual([expect.objectContaining({ action: "created", source: "cli", actor: expect.stringMatching(/^cli:/), after: { email: "root@example.test", name: "Root", role: "admin", active: true } })]);
      expect(JSON.stringify(audit)).not.toContain("first password");
    } finally {
      await handle.close();
    }
  });
});
