import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { shopifyWebhookDeliveries } from "@/db/schema";
import { connectShop } from "@/lib/channels/shopify/connections";
import { DRAIN_BYTES } from "@/lib/api/request";
import { MAX_WEBHOOK_BYTES, signShopifyBody } from "@/lib/channels/shopify/intake";
import { shopifyOrder, shopifyWebhookHeaders, shopifyWebhookRequest, type ShopifyWebhook } from "@/e2e/support/shopify/webhooks";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { createTenant, unique } from "@/e2e/support/factories";
import { POST } from "./route";

const URL = "http://hub.test/channels/shopify/webhooks";

async function connectedShop() {
  const tenant = await createTenant();
  const shop = `${unique("shop").toLowerCase()}.myshopify.com`;
  const secret = `whsec-${unique("s")}`;
  await connectShop(getDb(), { shopDomain: shop, accountId: tenant.accountId, environment: tenant.environment, webhookSecret: secret, adminToken: "shpat_test" });
  return { tenant, shop, secret };
}

async function send(webhook: ShopifyWebhook) {
  const response = await POST(shopifyWebhookRequest(URL, webhook), { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

async function deliveriesOf(shop: string) {
  return getDb().select().from(shopifyWebhookDeliveries).where(eq(shopifyWebhookDeliveries.shopDomain, shop));
}

describe("POST /channels/shopify/webhooks", () => {
  it("stores a signed delivery once and answers 200, raw body and Shopify headers kept", async () => {
    const { shop, secret } = await connectedShop();
    const order = shopifyOrder();
    const res = await send({ shop, secret, topic: "orders/create", body: order, webhookId: "wh-1", eventId: "ev-1" });
    expect(res).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const rows = await deliveriesOf(shop);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: "orders/create", state: "pending", attempts: 0, eventId: "ev-1", webhookId: "wh-1" });
    expect(JSON.parse(rows[0].rawBody)).toEqual(order);
    expect(rows[0].headers["x-shopify-shop-domain"]).toBe(shop);
  });

  it("a redelivery (same event id, new webhook id) answers 200 and stores nothing new", async () => {
    const { shop, secret } = await connectedShop();
    const body = shopifyOrder();
    await send({ shop, secret, topic: "orders/create", body, eventId: "ev-dup", webhookId: "a" });
    const again = await send({ shop, secret, topic: "orders/create", body, eventId: "ev-dup", webhookId: "b" });
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await deliveriesOf(shop)).toHaveLength(1);
  });

  it("without an event id, the webhook id is the dedup key", async () => {
    const { shop, secret } = await connectedShop();
    const body = shopifyOrder();
    await send({ shop, secret, topic: "orders/create", body, eventId: null, webhookId: "only-webhook-id" });
    const again = await send({ shop, secret, topic: "orders/create", body, eventId: null, webhookId: "only-webhook-id" });
    expect(again.body.duplicate).toBe(true);
    const other = await send({ shop, secret, topic: "orders/create", body, eventId: null, webhookId: "another-id" });
    expect(other.body.duplicate).toBe(false);
    expect(await deliveriesOf(shop)).toHaveLength(2);
  });

  it("a tampered body, a wrong secret or a missing signature → 401 and nothing stored", async () => {
    const { shop, secret } = await connectedShop();
    const raw = JSON.stringify(shopifyOrder());
    const signedForOther = { shop, secret: "not-the-secret", topic: "orders/create", body: raw };
    expect((await send(signedForOther)).status).toBe(401);
    const good = shopifyWebhookRequest(URL, { shop, secret, topic: "orders/create", body: raw });
    const tampered = new Request(URL, { method: "POST", headers: good.headers, body: raw.replace('"quantity":1', '"quantity":9') });
    const res = await POST(tampered, { params: Promise.resolve({}) });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: "unauthorized" });
    expect((await send({ shop, secret, topic: "orders/create", body: raw, hmac: "" })).status).toBe(401);
    expect((await send({ shop, secret, topic: "orders/create", body: raw, hmac: "!!notbase64" })).status).toBe(401);
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("an unknown shop → 401 and nothing stored, even with a well-formed signature", async () => {
    const shop = `${unique("nobody").toLowerCase()}.myshopify.com`;
    const res = await send({ shop, secret: "whatever", topic: "orders/create", body: shopifyOrder() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("a signed body that is not UTF-8 → 400 invalid_json and nothing stored: never kept as U+FFFD", async () => {
    const { shop, secret } = await connectedShop();
    const raw = Buffer.concat([Buffer.from('{"id":1,"name":"#1'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const headers = shopifyWebhookHeaders({ shop, secret, topic: "orders/create", body: null, hmac: signShopifyBody(raw, secret) }, "");
    const res = await POST(new Request(URL, { method: "POST", headers, body: raw }), { params: Promise.resolve({}) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "invalid_json" });
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("a chunked body over the limit is refused before its signature is checked, without being read whole", async () => {
    const { shop, secret } = await connectedShop();
    const chunk = 64 * 1024;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * 1024 * 1024) return controller.close();
        pulled += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x20));
      },
    });
    const headers = { ...shopifyWebhookHeaders({ shop, secret, topic: "orders/create", body: null }, "{}"), "transfer-encoding": "chunked" };
    const res = await POST(new Request(URL, { method: "POST", headers, body, duplex: "half" } as RequestInit), { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: "payload_too_large" });
    expect(res.headers.get("connection")).toBe("close");
    expect(pulled).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES + DRAIN_BYTES + 3 * chunk);
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("refuses other methods with 405", async () => {
    const { GET } = await import("./route");
    const res = await GET(new Request(URL), { params: Promise.resolve({}) });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe.skipIf(!onPostgres)(`concurrent redeliveries (${needsPostgres})`, () => {
  it("twenty copies at once store exactly one delivery, and all answer 200", async () => {
    const { shop, secret } = await connectedShop();
    const body = shopifyOrder();
    const results = await Promise.all(Array.from({ length: 20 }, () => send({ shop, secret, topic: "orders/create", body, eventId: "ev-race", webhookId: "wh-race" })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(await deliveriesOf(shop)).toHaveLength(1);
  });
});
