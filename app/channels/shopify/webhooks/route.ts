import { getDb } from "@/db/client";
import { readBodyBytes } from "@/lib/api/request";
import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { MAX_WEBHOOK_BYTES, receiveShopifyWebhook } from "@/lib/channels/shopify/intake";

// POST /channels/shopify/webhooks – verify a Shopify webhook and store it for the worker
export const POST = publicRoute(async ({ request }) => {
  // Unauthenticated until the signature is checked, which needs the body: read no further than the limit.
  const body = await readBodyBytes(request, MAX_WEBHOOK_BYTES);
  const result = await receiveShopifyWebhook(getDb(), request.headers, body);
  return json({ received: true, duplicate: result.duplicate });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
