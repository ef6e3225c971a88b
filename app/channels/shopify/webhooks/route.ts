import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { MAX_WEBHOOK_BYTES, receiveShopifyWebhook } from "@/lib/channels/shopify/intake";

function tooLarge() {
  return new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`);
}

// POST /channels/shopify/webhooks – verify a Shopify webhook and store it for the worker
export const POST = publicRoute(async ({ request }) => {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_WEBHOOK_BYTES) throw tooLarge();
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > MAX_WEBHOOK_BYTES) throw tooLarge();
  const result = await receiveShopifyWebhook(getDb(), request.headers, body);
  return json({ received: true, duplicate: result.duplicate });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
