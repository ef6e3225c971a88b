import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { createTenant } from "@/e2e/support/factories";
import { call, expectError } from "@/e2e/support/route-calls";
import { resetEnvForTests, setEnvForTests } from "@/lib/env";
import * as one from "./[id]/route";
import * as collection from "./route";

const create = (key: string, body: unknown) => call(collection.POST, "/v1/webhooks", { key, body });

async function storedFor(accountId: string) {
  return getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.accountId, accountId));
}

afterEach(() => {
  resetEnvForTests();
});

describe("POST /v1/webhooks", () => {
  it("creates a subscription and shows the secret once, stored only encrypted", async () => {
    const t = await createTenant();
    const res = await create(t.key, { url: "http://127.0.0.1:4010/hooks", events: ["shipment.created", "order.cancelled", "shipment.created"] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: "http://127.0.0.1:4010/hooks", events: ["shipment.created", "order.cancelled"], status: "active", disabled_reason: null });
    expect(res.body.id).toMatch(/^whk_/);
    expect(res.headers.get("location")).toBe(`/v1/webhooks/${res.body.id}`);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(res.body.secret.slice(6), "base64")).toHaveLength(32);

    const [row] = await storedFor(t.accountId);
    expect(row.secretCiphertext).not.toContain(res.body.secret.slice(6));
    const [{ hits }] = await queryRows<{ hits: number }>(getDb(), sql`select count(*)::int as hits from webhook_endpoints where secret_ciphertext like ${"%" + res.body.secret.slice(6, 20) + "%"}`);
    expect(hits).toBe(0);

    const list = await call(collection.GET, "/v1/webhooks", { key: t.key });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).not.toHaveProperty("secret");
    expect(list.body.pagination).toEqual({ next_cursor: null, has_more: false });
    const got = await call(one.GET, `/v1/webhooks/${res.body.id}`, { key: t.key, params: { id: res.body.id } });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty("secret");
  });

  const invalid: [string, unknown, string][] = [
    ["a malformed URL", { url: "not a url", events: ["shipment.created"] }, "url"],
    ["a non-http scheme", { url: "ftp://example.com/x", events: ["shipment.created"] }, "url"],
    ["credentials in the URL", { url: "https://user:pw@example.com/x", events: ["shipment.created"] }, "url"],
    ["an unknown event type", { url: "https://example.com/x", events: ["shipment.created", "order.exploded"] }, "events[1]"],
    ["no events", { url: "https://example.com/x", events: [] }, "events"],
    ["a missing url", { events: ["shipment.created"] }, "url"],
    ["an unknown field", { url: "https://example.com/x", events: ["shipment.created"], secret: "mine" }, "secret"],
  ];
  it.each(invalid)("refuses %s with 422 validation_error and stores nothing", async (_name, body, field) => {
    const t = await createTenant();
    const res = await create(t.key, body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "validation_error", field });
    expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
    expect(await storedFor(t.accountId)).toEqual([]);
  });

  // Internal targets in the spellings a URL parser or a resolver accepts. Sandbox keys are what every prospective
  // partner gets, and the same process delivers for both: one policy.
  const internalTargets = [
    "http://127.0.0.1:8080/hook",
    "http://127.1/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://017700000001/",
    "http://0/",
    "http://localhost:9999/hook",
    "http://LOCALHOST/",
    "http://localhost./",
    "https://[::1]/hook",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:a9fe:a9fe]/latest/meta-data",
    "http://10.0.0.1/",
    "https://10.1.2.3/hook",
    "http://172.16.0.1/",
    "https://192.168.1.20/hook",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[64:ff9b::a00:1]/",
    "http://224.0.0.1/",
    "http://[2001:db8::1]/",
  ];
  describe.each(["sandbox", "live"] as const)("with a %s key and WEBHOOK_ALLOW_PRIVATE_URLS unset", (environment) => {
    it.each(internalTargets)("refuses %s with 422 validation_error on url and stores nothing", async (url) => {
      setEnvForTests({ WEBHOOK_ALLOW_PRIVATE_URLS: undefined });
      const t = await createTenant({ environment });
      const res = await create(t.key, { url, events: ["shipment.created"] });
      expectError(res, 422, "validation_error", "url");
      expect(await storedFor(t.accountId)).toEqual([]);
    });

    it("accepts a public address", async () => {
      setEnvForTests({ WEBHOOK_ALLOW_PRIVATE_URLS: undefined });
      const t = await createTenant({ environment });
      expect((await create(t.key, { url: "https://93.184.216.34/hook", events: ["shipment.created"] })).status).toBe(201);
    });
  });

  it("says which address is not public", async () => {
    setEnvForTests({ WEBHOOK_ALLOW_PRIVATE_URLS: undefined });
    const t = await createTenant();
    const res = await create(t.key, { url: "http://0x7f000001/hook", events: ["shipment.created"] });
    expect(res.body.error.message).toBe("url must point to a public address: 127.0.0.1 is 127.0.0.1.");
  });

  it.each(["sandbox", "live"] as const)("accepts a private address from a %s key where WEBHOOK_ALLOW_PRIVATE_URLS=true", async (environment) => {
    setEnvForTests({ WEBHOOK_ALLOW_PRIVATE_URLS: "true" });
    const t = await createTenant({ environment });
    expect((await create(t.key, { url: "http://127.0.0.1:9999/hook", events: ["shipment.created"] })).status).toBe(201);
  });

  it("needs a partner key", async () => {
    const t = await createTenant({ role: "warehouse" });
    const res = await create(t.key, { url: "https://example.com/x", events: ["shipment.created"] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
  });
});

describe("DELETE /v1/webhooks/{id}", () => {
  it("deletes once (204), then answers 404; other accounts and environments never see it", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const created = await create(t.key, { url: "http://127.0.0.1:4010/hooks", events: ["shipment.created"] });
    const id = created.body.id as string;

    const foreign = await call(one.DELETE, `/v1/webhooks/${id}`, { method: "DELETE", key: other.key, params: { id } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
    const foreignGet = await call(one.GET, `/v1/webhooks/${id}`, { key: other.key, params: { id } });
    expect(foreignGet.status).toBe(404);

    const first = await call(one.DELETE, `/v1/webhooks/${id}`, { method: "DELETE", key: t.key, params: { id } });
    expect(first.status).toBe(204);
    expect(first.body).toBeUndefined();
    const again = await call(one.DELETE, `/v1/webhooks/${id}`, { method: "DELETE", key: t.key, params: { id } });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
    expect((await call(collection.GET, "/v1/webhooks", { key: t.key })).body.data).toEqual([]);
  });

  it("pages the list with an opaque cursor", async () => {
    const t = await createTenant();
    for (let i = 0; i < 3; i++) await create(t.key, { url: `http://127.0.0.1:4010/h${i}`, events: ["shipment.created"] });
    const page1 = await call(collection.GET, "/v1/webhooks?limit=2", { key: t.key });
    expect(page1.body.data.map((w: { url: string }) => w.url)).toEqual(["http://127.0.0.1:4010/h0", "http://127.0.0.1:4010/h1"]);
    expect(page1.body.pagination.has_more).toBe(true);
    const page2 = await call(collection.GET, `/v1/webhooks?limit=2&cursor=${page1.body.pagination.next_cursor}`, { key: t.key });
    expect(page2.body.data.map((w: { url: string }) => w.url)).toEqual(["http://127.0.0.1:4010/h2"]);
    expect(page2.body.pagination).toEqual({ next_cursor: null, has_more: false });
    expect((await call(collection.GET, "/v1/webhooks?limt=2", { key: t.key })).status).toBe(400);
  });
});
