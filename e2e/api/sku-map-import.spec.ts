import http from "node:http";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { baseURL, e2eDatabaseUrl } from "../support/playwright-env";

/**
 * The SKU map import refuses a file it cannot take whole and exact before a row is looked at: too large (by its
 * declared length, the connection closed behind the answer; or, chunked, cut off at the limit), sent from another
 * site, or not UTF-8. Over HTTP, signed in as ops.
 */

const HEADER = "channel_sku,variant_id,account_sku,warehouse_item_code,active\n";
let cookie = "";
let accountId = "";

test.beforeAll(async () => {
  const user = await createDashboardUser("ops");
  const account = uniqueName("import");
  await issueKey({ account, env: "sandbox" });
  const sql = postgres(e2eDatabaseUrl, { max: 1 });
  try {
    [{ id: accountId }] = await sql<{ id: string }[]>`select id from accounts where name = ${account}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(";");
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
  };
  const csrf = await fetch(`${baseURL}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const login = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies(), origin: baseURL },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password, json: "true" }),
  });
  keep(login);
  expect([...jar.keys()].some((k) => k.includes("session-token")), "signed in").toBe(true);
  cookie = cookies();
});

/** Sends `body` to the import, with its Content-Length unless `chunked` (then in 64 KiB chunks). */
function upload(body: Buffer, chunked = false, origin = baseURL) {
  return new Promise<{ status: number; connection?: string; json: { error?: { code: string; message: string } } }>((resolve, reject) => {
    const headers: Record<string, string> = { cookie, origin, "content-type": "text/csv" };
    if (!chunked) headers["content-length"] = String(body.length);
    const req = http.request(`${baseURL}/sku-map/import?account=${accountId}&env=sandbox`, { method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, json: JSON.parse(text.split("\n")[0] || "{}") }));
    });
    req.on("error", reject);
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    req.end();
  });
}

const rows = (bytes: number) => Buffer.from(HEADER + "SHOP-X,,NOPE,,true\n".repeat(Math.ceil(bytes / 19)));

test("a file over 10 MiB is refused by its declared length: 413, and the connection is closed rather than read on", async () => {
  const res = await upload(rows(11 * 1024 * 1024));
  expect(res).toMatchObject({ status: 413, connection: "close", json: { error: { code: "payload_too_large" } } });
});

test("a chunked upload over 10 MiB is cut off at the limit, never read whole: 413, nothing imported", async () => {
  const res = await upload(rows(11 * 1024 * 1024), true);
  expect(res).toMatchObject({ status: 413, json: { error: { code: "payload_too_large" } } });
});

test("an upload sent from another site's page is refused: 403, nothing imported", async () => {
  const res = await upload(Buffer.from(`${HEADER}SHOP-1,,NOPE,,true\n`), false, "https://evil.example");
  expect(res).toMatchObject({ status: 403, json: { error: { code: "forbidden" } } });
});

test("a file that is not UTF-8 is refused: 400, never imported with U+FFFD", async () => {
  const res = await upload(Buffer.from(`${HEADER}SHOP-\xe9,,NOPE,,true\n`, "latin1"));
  expect(res).toMatchObject({ status: 400, json: { error: { code: "invalid_encoding" } } });
});

test("a file within the limits is read and checked row by row", async () => {
  const res = await upload(Buffer.from(`${HEADER}SHOP-1,,NOPE,,true\n`));
  expect(res).toMatchObject({ status: 200, json: { type: "progress" } });
});
