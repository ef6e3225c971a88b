import { and, eq } from "drizzle-orm";
import { POST } from "@/app/channels/shopify/webhooks/route";
import { getDb } from "@/db/client";
import { channelOrders, operationalExceptions, orderEvents, orderLines, orders, shopifyWebhookDeliveries } from "@/db/schema";
import { connectShop } from "@/lib/channels/shopify/connections";
import { drainShopifyInbox } from "@/lib/channels/shopify/process";
import { createTenant, unique, type TestTenant } from "../factories";
import { shopifyWebhookRequest, type ShopifyWebhook } from "./webhooks";

/** Test support for the Shopify intake: a connected shop, signed deliveries through the real route, and what they left. */

export type TestShop = { tenant: TestTenant; shop: string; secret: string; connectionId: string };

export async function connectedShop(tenant?: TestTenant): Promise<TestShop> {
  const t = tenant ?? (await createTenant());
  const shop = `${unique("shop").toLowerCase()}.myshopify.com`;
  const secret = `shpss_${unique("secret")}`;
  const { connection } = await connectShop(getDb(), { shopDomain: shop, accountId: t.accountId, environment: t.environment, webhookSecret: secret, adminToken: "shpat_test" });
  return { tenant: t, shop, secret, connectionId: connection.id };
}

/** Posts a signed webhook to the intake route exactly as Shopify would; returns the HTTP status. */
export async function sendWebhook(shop: TestShop, topic: string, body: unknown, ids: { eventId?: string | null; webhookId?: string } = {}): Promise<number> {
  const webhook: ShopifyWebhook = { shop: shop.shop, secret: shop.secret, topic, body, ...ids };
  const response = await POST(shopifyWebhookRequest("http://hub.test/channels/shopify/webhooks", webhook), { params: Promise.resolve({}) });
  return response.status;
}

/** Sends and lets the worker process everything due. */
export async function deliver(shop: TestShop, topic: string, body: unknown, ids: { eventId?: string | null; webhookId?: string } = {}): Promise<void> {
  const status = await sendWebhook(shop, topic, body, ids);
  if (status !== 200) throw new Error(`intake answered ${status}`);
  await drainShopifyInbox(getDb(), { accountId: shop.tenant.accountId });
}

export async function hubOrdersFor(shop: TestShop, shopifyOrderId: number) {
  return getDb()
    .select()
    .from(orders)
    .where(and(eq(orders.accountId, shop.tenant.accountId), eq(orders.reference, `shopify:${shop.shop}:${shopifyOrderId}`)));
}

export async function onlyHubOrder(shop: TestShop, shopifyOrderId: number) {
  const rows = await hubOrdersFor(shop, shopifyOrderId);
  if (rows.length !== 1) throw new Error(`expected one hub order, found ${rows.length}`);
  const lines = await getDb().select().from(orderLines).where(eq(orderLines.orderId, rows[0].id)).orderBy(orderLines.position);
  return { order: rows[0], lines };
}

export async function timelineTypes(orderId: string): Promise<string[]> {
  const rows = await getDb().select({ type: orderEvents.type }).from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.recordedAt, orderEvents.id);
  return rows.map((r) => r.type);
}

export async function openExceptions(orderId: string) {
  return getDb()
    .select()
    .from(operationalExceptions)
    .where(and(eq(operationalExceptions.orderId, orderId), eq(operationalExceptions.status, "open")));
}

export async function deliveriesOf(shop: TestShop) {
  return getDb().select().from(shopifyWebhookDeliveries).where(eq(shopifyWebhookDeliveries.shopDomain, shop.shop)).orderBy(shopifyWebhookDeliveries.receivedAt);
}

export async function channelOrdersOf(shop: TestShop) {
  return getDb().select().from(channelOrders).where(eq(channelOrders.shopDomain, shop.shop));
}
