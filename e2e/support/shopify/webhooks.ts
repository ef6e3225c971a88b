import { randomUUID } from "node:crypto";
import { SHOPIFY_ADMIN_API_VERSION } from "@/lib/channels/shopify/connections";
import { signShopifyBody } from "@/lib/channels/shopify/intake";

/**
 * Sends webhooks exactly as Shopify does: the raw JSON body, its base64 HMAC-SHA256 under the shop's secret,
 * and Shopify's headers, with order payloads in Shopify's REST webhook shape. The intake cannot tell it from the real
 * sender.
 */
export type ShopifyWebhook = {
  shop: string;
  secret: string;
  topic: string;
  body: unknown;
  /** Fixed ids make a redelivery; fresh ones by default. */
  webhookId?: string;
  eventId?: string | null;
  /** Overrides the computed signature (tampering tests). */
  hmac?: string;
};

export function shopifyWebhookHeaders(webhook: ShopifyWebhook, raw: string): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": webhook.topic,
    "x-shopify-hmac-sha256": webhook.hmac ?? signShopifyBody(raw, webhook.secret),
    "x-shopify-shop-domain": webhook.shop,
    "x-shopify-webhook-id": webhook.webhookId ?? randomUUID(),
    "x-shopify-api-version": SHOPIFY_ADMIN_API_VERSION,
    "x-shopify-triggered-at": new Date().toISOString(),
  };
  if (webhook.eventId !== null) headers["x-shopify-event-id"] = webhook.eventId ?? randomUUID();
  return headers;
}

export function shopifyWebhookRequest(url: string, webhook: ShopifyWebhook): Request {
  const raw = typeof webhook.body === "string" ? webhook.body : JSON.stringify(webhook.body);
  return new Request(url, { method: "POST", headers: shopifyWebhookHeaders(webhook, raw), body: raw });
}

export type ShopifyLineItem = {
  id: number;
  variant_id: number | null;
  product_id?: number | null;
  sku: string | null;
  title?: string;
  name?: string;
  quantity: number;
  current_quantity?: number;
  price?: string;
};

export type ShopifyOrderPayload = {
  id: number;
  admin_graphql_api_id: string;
  name: string;
  email: string | null;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  cancel_reason?: string | null;
  currency: string;
  tags: string;
  note: string | null;
  line_items: ShopifyLineItem[];
  shipping_address: Record<string, string | null> | null;
  shipping_lines: { title: string; code?: string | null }[];
};

let nextId = 5_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

/** A fresh Shopify-like numeric id. */
export function shopifyId(): number {
  nextId += 1;
  return nextId;
}

/** An orders/create payload in Shopify's REST webhook shape, with sensible defaults (an Australian address). */
export function shopifyOrder(overrides: Partial<ShopifyOrderPayload> & { lines?: Partial<ShopifyLineItem>[] } = {}): ShopifyOrderPayload {
  const id = overrides.id ?? shopifyId();
  const { lines, ...rest } = overrides;
  const now = new Date().toISOString();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + (id % 9000)}`,
    email: "customer@example.test",
    created_at: now,
    updated_at: now,
    cancelled_at: null,
    currency: "AUD",
    tags: "",
    note: null,
    line_items: (lines ?? [{}]).map((l) => ({
      id: shopifyId(),
      variant_id: shopifyId(),
      product_id: shopifyId(),
      sku: "SHOP-SKU",
      title: "Item",
      quantity: 1,
      price: "10.00",
      ...l,
    })),
    shipping_address: {
      name: "Jane Citizen",
      first_name: "Jane",
      last_name: "Citizen",
      company: null,
      address1: "1 George St",
      address2: null,
      city: "Sydney",
      province: "New South Wales",
      province_code: "NSW",
      zip: "2000",
      country: "Australia",
      country_code: "AU",
      phone: null,
    },
    shipping_lines: [{ title: "Standard", code: "standard" }],
    ...rest,
  };
}
