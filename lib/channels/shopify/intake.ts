import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { shopifyWebhookDeliveries } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { decodeUtf8 } from "@/lib/api/request";
import { newId } from "@/lib/ids";
import { findConnectionForWebhook } from "./connections";

/** Shopify's own payloads stay far below this; anything larger is not a webhook of ours. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/**
 * X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body, keyed with the shop's webhook secret.
 * Compared in constant time on the decoded bytes, so neither timing nor base64 spelling tells a forger anything.
 */
export function verifyShopifyHmac(rawBody: Uint8Array, secret: string, header: string | null): boolean {
  if (!header || !/^[A-Za-z0-9+/]+={0,2}$/.test(header.trim())) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(header.trim(), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Signs a body the way Shopify does (tests, and the dashboard's "send a test webhook"). */
export function signShopifyBody(rawBody: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/**
 * The inbox dedup key: the event id (the same event redelivered), else the webhook id, else the body's hash.
 * The topic is part of the key so that two topics fired by one event are two deliveries, never one.
 */
export function dedupKeyOf(topic: string, headers: Headers, rawBody: Uint8Array): string {
  const eventId = headers.get("x-shopify-event-id")?.trim();
  if (eventId) return `${topic}:event:${eventId}`;
  const webhookId = headers.get("x-shopify-webhook-id")?.trim();
  if (webhookId) return `${topic}:webhook:${webhookId}`;
  return `${topic}:sha256:${createHash("sha256").update(rawBody).digest("hex")}`;
}

/** Only Shopify's own headers are kept with a delivery: never cookies or proxies' authorization. */
function shopifyHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.toLowerCase().startsWith("x-shopify-")) out[name.toLowerCase()] = value;
  });
  return out;
}

export type IntakeResult = { duplicate: boolean; deliveryId: string | null };

/**
 * Verifies a webhook and stores it in the inbox, nothing more: one lookup, one insert. Processing happens in the
 * worker, so Shopify hears 200 within milliseconds and a slow or failing step never makes it retry. A bad
 * signature or an unknown shop stores nothing. A redelivery hits the unique dedup key and answers like the first.
 */
export async function receiveShopifyWebhook(db: DbOrTx, headers: Headers, rawBody: Uint8Array): Promise<IntakeResult> {
  const shopDomain = headers.get("x-shopify-shop-domain")?.trim().toLowerCase();
  const unauthorized = new ApiError("unauthorized", "The webhook signature does not verify for this shop.");
  if (!shopDomain) throw unauthorized;
  const found = await findConnectionForWebhook(db, shopDomain);
  if (!found || !verifyShopifyHmac(rawBody, found.webhookSecret, headers.get("x-shopify-hmac-sha256"))) throw unauthorized;

  const topic = headers.get("x-shopify-topic")?.trim();
  if (!topic) throw new ApiError("invalid_parameter", "The X-Shopify-Topic header is missing.", "X-Shopify-Topic");
  // Stored as text exactly as signed: bytes that are not UTF-8 are refused rather than stored as U+FFFD, and
  // PostgreSQL text cannot hold NUL (valid JSON never contains a raw one).
  const body = decodeUtf8(rawBody);
  if (body.includes("\u0000")) throw new ApiError("invalid_json", "The webhook body is not JSON.");

  const { connection } = found;
  const rows = await db
    .insert(shopifyWebhookDeliveries)
    .values({
      id: newId("swd"),
      accountId: connection.accountId,
      environment: connection.environment,
      connectionId: connection.id,
      shopDomain,
      dedupKey: dedupKeyOf(topic, headers, rawBody),
      topic,
      webhookId: headers.get("x-shopify-webhook-id"),
      eventId: headers.get("x-shopify-event-id"),
      apiVersion: headers.get("x-shopify-api-version"),
      rawBody: body,
      headers: shopifyHeaders(headers),
    })
    .onConflictDoNothing()
    .returning({ id: shopifyWebhookDeliveries.id });
  return rows.length ? { duplicate: false, deliveryId: rows[0].id } : { duplicate: true, deliveryId: null };
}
