import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

/** A cursor signed the way the hub signs them, over any payload: what a holder of the secret could send. */
function signed(payload: unknown, secret = process.env.CURSOR_SECRET!): string {
  const body = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64url");
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url").slice(0, 22)}`;
}

const TS = "2026-01-01T00:00:00.000000Z";

describe("the cursor secret", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The pagination module as a freshly started process with this environment sees it. */
  async function freshPagination(environment: Record<string, string | undefined>) {
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
    vi.resetModules();
    return import("./pagination");
  }

  it("is generated into DATA_DIR in embedded mode, kept across restarts, and the formerly built-in one forges nothing", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "hub-cursor-secret-"));
    dirs.push(dataDir);
    const embedded = { CURSOR_SECRET: undefined, DATABASE_URL: undefined, DATA_DIR: dataDir, NODE_ENV: "production" };
    const first = await freshPagination(embedded);
    const secret = first.cursorSecret();
    expect(secret).toBe(readFileSync(path.join(dataDir, "cursor-secret"), "utf8").trim());
    expect(Buffer.from(secret, "base64")).toHaveLength(32);
    const cursor = first.encodeCursor({ ts: TS, id: "ord_x" });

    const restarted = await freshPagination(embedded);
    expect(restarted.cursorSecret()).toBe(secret);
    expect(restarted.decodeCursor(cursor)).toEqual({ ts: TS, id: "ord_x" });
    expect(() => restarted.decodeCursor(signed([TS, "ord_x"], "fulfillment-hub-cursor-v1"))).toThrow(expect.objectContaining({ code: "invalid_cursor" }));
  });

  it("is required with DATABASE_URL: without CURSOR_SECRET nothing is signed with a secret of this process's own", async () => {
    const { cursorSecret, encodeCursor } = await freshPagination({ CURSOR_SECRET: undefined, DATABASE_URL: "postgres://hub@db.internal:5432/hub", NODE_ENV: "production" });
    expect(() => cursorSecret()).toThrow(expect.objectContaining({ name: "ConfigurationError", variable: "CURSOR_SECRET" }));
    expect(() => encodeCursor({ ts: TS, id: "ord_x" })).toThrow(/CURSOR_SECRET is not set/);
  });
});
