import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { createDashboardUser, type DashboardUser } from "../support/cli";
import { baseURL } from "../support/playwright-env";

/**
 * The dashboard as a browser or an attacker meets it over HTTP, against the production server: the headers on
 * every page, a server action posted from another site, and the sign-in throttle by client address.
 */

const newContext = () => playwrightRequest.newContext({ baseURL, maxRedirects: 0 });

/** Signs in through next-auth's credentials endpoint as the login form does (JSON mode), from `address`. */
async function signInOverHttp(http: APIRequestContext, user: Pick<DashboardUser, "email" | "password">, address: string): Promise<string> {
  const headers = { "x-forwarded-for": address };
  const { csrfToken } = (await (await http.get("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
  const response = await http.post("/api/auth/callback/credentials", {
    headers,
    form: { csrfToken, email: user.email, password: user.password, callbackUrl: `${baseURL}/orders`, json: "true" },
  });
  // next-auth answers 200 with the page to go to, or 401 with the login form's error address.
  expect([200, 401]).toContain(response.status());
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get("error") ?? "signed-in";
}

function expectPageHeaders(response: APIResponse) {
  const headers = response.headers();
  const policy = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  expect(nonce, `a nonce in ${policy}`).toBeTruthy();
  expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  return nonce as string;
}

async function expectScriptsCarry(response: APIResponse, nonce: string) {
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, "every script carries the response's nonce").toContain(`nonce="${nonce}"`);
}

test.describe("security headers", () => {
  test("the login form has the Content-Security-Policy with a fresh nonce on every script, and the framing, sniffing and referrer headers", async () => {
    const http = await newContext();
    const first = await http.get("/login");
    expect(first.status()).toBe(200);
    const nonce = expectPageHeaders(first);
    await expectScriptsCarry(first, nonce);
    const again = expectPageHeaders(await http.get("/login"));
    expect(again, "a new nonce for every response").not.toBe(nonce);
    await http.dispose();
  });

  test("a signed-in page has them too, and the redirect to the login form is not framed either", async () => {
    const http = await newContext();
    const redirect = await http.get("/orders");
    expect(redirect.status()).toBe(307);
    expect(redirect.headers()["x-frame-options"]).toBe("DENY");

    const user = await createDashboardUser("support");
    expect(await signInOverHttp(http, user, "198.51.100.20")).toBe("signed-in");
    const page = await http.get("/orders");
    expect(page.status()).toBe(200);
    await expectScriptsCarry(page, expectPageHeaders(page));
    await http.dispose();
  });

  test("API answers are never content-sniffed", async () => {
    const http = await newContext();
    for (const url of ["/v1/warehouses", "/v1/openapi.json"]) {
      const response = await http.get(url);
      expect(response.headers()["x-content-type-options"], url).toBe("nosniff");
      expect(response.headers()["content-type"], url).toContain("application/json");
    }
    await http.dispose();
  });
});

/** A real server action of the exceptions page, as the build lists them. */
function exceptionsPageActionId(): string {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown> }>;
  };
  const id = Object.entries(manifest.node).find(([, action]) => Object.keys(action.workers).some((page) => page.includes("exceptions/page")))?.[0];
  if (!id) throw new Error("no server action of the exceptions page in the build's manifest");
  return id;
}

test.describe("server actions from another site", () => {
  test("a server action posted with a foreign Origin is refused with 403 and a short reason, before it runs", async () => {
    const http = await newContext();
    const user = await createDashboardUser("support");
    expect(await signInOverHttp(http, user, "198.51.100.21")).toBe("signed-in");
    const actionId = exceptionsPageActionId();
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example", "not a url"]) {
      const response = await http.post("/exceptions", {
        headers: { "next-action": actionId, origin, "content-type": "text/plain;charset=UTF-8" },
        data: "[]",
      });
      expect(response.status(), origin).toBe(403);
      expect(await response.text()).toContain("Cross-site request refused");
    }
    // Not a signed-in session's privilege: the same answer without cookies.
    const anonymous = await newContext();
    const response = await anonymous.post("/exceptions", { headers: { "next-action": actionId, origin: "https://evil.example" }, data: "[]" });
    expect(response.status()).toBe(403);
    await Promise.all([http.dispose(), anonymous.dispose()]);
  });

  test("the same request from the dashboard's own origin is let through to Next.js", async () => {
    const http = await newContext();
    const user = await createDashboardUser("support");
    expect(await signInOverHttp(http, user, "198.51.100.22")).toBe("signed-in");
    const response = await http.post("/exceptions", {
      headers: { "next-action": exceptionsPageActionId(), origin: baseURL, "content-type": "text/plain;charset=UTF-8" },
      data: "[]",
    });
    expect(response.status()).not.toBe(403);
    expect(await response.text()).not.toContain("Cross-site request refused");
    await http.dispose();
  });
});

test("a signed-in user sent to the login form with a callback to another site stays on this one", async () => {
  const http = await newContext();
  const user = await createDashboardUser("support");
  expect(await signInOverHttp(http, user, "198.51.100.23")).toBe("signed-in");
  for (const callback of ["/\\evil.example", "//evil.example", "https://evil.example/"]) {
    const response = await http.get(`/login?callbackUrl=${encodeURIComponent(callback)}`);
    expect(response.status(), callback).toBe(307);
    expect(response.headers()["location"], callback).toBe("/");
  }
  const inside = await http.get(`/login?callbackUrl=${encodeURIComponent("/exceptions?status=open")}`);
  expect(inside.headers()["location"]).toBe("/exceptions?status=open");
  await http.dispose();
});

test.describe("sign-in throttle", () => {
  test("ten wrong passwords from one address shut that address out; the owner still signs in from another", async () => {
    const user = await createDashboardUser("support");
    const attacker = await newContext();
    for (let i = 0; i < 10; i++) expect(await signInOverHttp(attacker, { email: user.email, password: `guess-${i}` }, "192.0.2.66")).toBe("CredentialsSignin");
    expect(await signInOverHttp(attacker, user, "192.0.2.66")).toBe("TooManyAttempts");
    // What the app believes is the entry our own proxy appended: a client's own entries to its left change nothing.
    expect(await signInOverHttp(attacker, user, "203.0.113.9, 192.0.2.66")).toBe("TooManyAttempts");

    const owner = await newContext();
    expect(await signInOverHttp(owner, user, "198.51.100.77")).toBe("signed-in");
    expect((await owner.get("/orders")).status()).toBe(200);
    await Promise.all([attacker.dispose(), owner.dispose()]);
  });
});
