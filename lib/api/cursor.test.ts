import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as inventory from "@/app/v1/inventory/route";
import * as orders from "@/app/v1/orders/route";
import * as shipments from "@/app/v1/shipments/route";
import * as warehouses from "@/app/v1/warehouses/route";
import * as webhooks from "@/app/v1/webhooks/route";
import { createTenant, type TestTenant } from "@/e2e/support/factories";
import { call, expectError, type RouteHandler } from "@/e2e/support/route-calls";
import { env, resetEnvForTests, setEnvForTests, type EnvValues } from "@/lib/env";

/** A cursor signed the way the hub signs them, over any payload: what a holder of the secret could send. */
function signed(payload: unknown, secret = env().CURSOR_SECRET!): string {
  const body = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64url");
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url").slice(0, 22)}`;
}

const TS = "2026-01-01T00:00:00.000000Z";

// Lists paged by (updated_at, id), and lists paged by id alone (their cursors carry an empty timestamp).
const changesLists: [string, RouteHandler][] = [
  ["/v1/orders", orders.GET],
  ["/v1/inventory", inventory.GET],
  ["/v1/shipments", shipments.GET],
];
const idLists: [string, RouteHandler][] = [
  ["/v1/warehouses", warehouses.GET],
  ["/v1/webhooks", webhooks.GET],
];

// Payloads a valid signature may carry that no list of that kind ever wrote.
const malformedPayloads: [string, unknown][] = [
  ["not JSON", "{oops"],
  ["an object, not a pair", { ts: TS, id: "ord_x" }],
  ["one element", [TS]],
  ["three elements", [TS, "ord_x", "more"]],
  ["a number for the id", ["", 42]],
  ["an empty id", ["", ""]],
  ["a NUL in the id", ["", "ord_\u0000x"]],
  ["an id too long", ["", "x".repeat(101)]],
  ["a lone surrogate in the id", ["", "ord_\ud800"]],
];
const malformedForChanges: [string, unknown][] = [
  ...malformedPayloads.map(([name, payload]): [string, unknown] => [name, Array.isArray(payload) && payload[0] === "" ? [TS, ...payload.slice(1)] : payload]),
  ["year 0000", ["0000-01-01T00:00:00.000000Z", "ord_x"]],
  ["30 February", ["2026-02-30T00:00:00.000000Z", "ord_x"]],
  ["hour 24", ["2026-01-01T24:00:00.000000Z", "ord_x"]],
  ["a timestamp in words", ["yesterday", "ord_x"]],
  ["a timestamp without microseconds", ["2026-01-01T00:00:00Z", "ord_x"]],
  ["a number for the timestamp", [1767225600, "ord_x"]],
  ["an id-list cursor (empty timestamp)", ["", "ord_x"]],
];
const malformedForIds: [string, unknown][] = [...malformedPayloads, ["a changes-list cursor (with a timestamp)", [TS, "wh_x"]]];

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTenant();
});

const list = (handler: RouteHandler, route: string, cursor: string) => call(handler, `${route}?cursor=${encodeURIComponent(cursor)}`, { key: tenant.key });

describe("a cursor with a valid signature is still checked: a payload no list wrote is 400 invalid_cursor, never 500", () => {
  it.each(changesLists)("%s takes a well-formed signed cursor (the signature here is the hub's)", async (route, handler) => {
    expect((await list(handler, route, signed([TS, "zzz_0"]))).status).toBe(200);
  });

  it.each(idLists)("%s takes a well-formed signed cursor (the signature here is the hub's)", async (route, handler) => {
    expect((await list(handler, route, signed(["", "zzz_0"]))).status).toBe(200);
  });

  describe.each(changesLists)("%s", (route, handler) => {
    it.each(malformedForChanges)("refuses %s", async (_name, payload) => {
      expectError(await list(handler, route, signed(payload)), 400, "invalid_cursor", "cursor");
    });
  });

  describe.each(idLists)("%s", (route, handler) => {
    it.each(malformedForIds)("refuses %s", async (_name, payload) => {
      expectError(await list(handler, route, signed(payload)), 400, "invalid_cursor", "cursor");
    });
  });

  it("refuses a signature that is not ASCII (as long as a real one in characters, longer in bytes)", async () => {
    const [payload] = signed([TS, "ord_x"]).split(".");
    expectError(await list(orders.GET, "/v1/orders", `${payload}.${"é".repeat(22)}`), 400, "invalid_cursor", "cursor");
  });
});

describe("the cursor secret", () => {
  const dirs: string[] = [];
  afterEach(() => {
    resetEnvForTests();
    vi.resetModules();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The pagination module as a freshly started process with this environment sees it. */
  async function freshPagination(environment: EnvValues) {
    setEnvForTests(environment);
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
