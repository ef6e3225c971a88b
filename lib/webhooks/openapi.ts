import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { idParam, jsonContent, listEnvelope, responses } from "@/lib/api/openapi-parts";
import { listParams } from "@/lib/api/pagination";
import { z } from "@/lib/api/zod";
import { WEBHOOKS_GUIDE } from "./guide";
import { createdWebhookObjectSchema, CreateWebhookBody, WebhookDeliverySchema, WebhookEventType, webhookObjectSchema } from "./schema";

const webhookId = idParam("whk", "The webhook subscription's id.");

const header = (description: string, example: string) => z.string().openapi({ description, example });

export function registerWebhookPaths(registry: OpenAPIRegistry): void {
  registry.register("WebhookEventType", WebhookEventType);
  registry.register("Webhook", webhookObjectSchema);
  registry.register("WebhookCreated", createdWebhookObjectSchema);
  registry.register("WebhookDelivery", WebhookDeliverySchema);

  registry.registerPath({
    method: "post",
    path: "/v1/webhooks",
    tags: ["Webhooks"],
    summary: "Subscribe to events",
    description: WEBHOOKS_GUIDE,
    request: { body: { required: true, content: jsonContent(CreateWebhookBody) } },
    responses: responses(
      {
        201: {
          description: "The subscription, with its signing secret (shown only here). `Location` names it.",
          schema: createdWebhookObjectSchema,
        },
      },
      ["validation_error", "invalid_json", "unsupported_media_type", "payload_too_large"],
    ),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/webhooks",
    tags: ["Webhooks"],
    summary: "List subscriptions",
    description: "Your account's subscriptions in this environment, oldest first. Secrets are never listed.",
    request: { query: z.object(listParams) },
    responses: responses({ 200: { description: "A page of subscriptions.", schema: listEnvelope(webhookObjectSchema, "WebhookList") } }, [
      "invalid_parameter",
      "invalid_cursor",
    ]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/webhooks/{id}",
    tags: ["Webhooks"],
    summary: "Get a subscription",
    request: { params: webhookId },
    responses: responses({ 200: { description: "The subscription (without its secret).", schema: webhookObjectSchema } }, ["not_found"]),
  });
  registry.registerPath({
    method: "delete",
    path: "/v1/webhooks/{id}",
    tags: ["Webhooks"],
    summary: "Unsubscribe",
    description: "Nothing more is sent to it; deliveries still owed are cancelled. Deleting it again answers 404.",
    request: { params: webhookId },
    responses: responses({ 204: { description: "Deleted." } }, ["not_found"]),
  });

  registry.registerWebhook({
    method: "post",
    path: "event",
    tags: ["Webhooks"],
    summary: "An event delivered to your endpoint",
    description: "What the hub POSTs to a subscribed URL. See `POST /v1/webhooks` for signing, retries and ordering.",
    request: {
      headers: z.object({
        "X-Webhook-Id": header("The event_id.", "evt_01jd2k3m4n5p6q7r8s9t0v1w2x"),
        "X-Webhook-Signature": header("`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>`; key: the secret string as shown.", "t=1782043452,v1=5d41402a…"),
        "webhook-id": header("Standard Webhooks: the event_id.", "evt_01jd2k3m4n5p6q7r8s9t0v1w2x"),
        "webhook-timestamp": header("Standard Webhooks: unix seconds of this attempt.", "1782043452"),
        "webhook-signature": header("Standard Webhooks: `v1,<base64 HMAC-SHA256>` of `<id>.<timestamp>.<raw body>`; key: base64-decoded part after `whsec_`.", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
      }),
      body: { required: true, content: jsonContent(WebhookDeliverySchema) },
    },
    responses: {
      200: { description: "Any 2xx within 10 s acknowledges the delivery." },
      410: { description: "Gone: the subscription is disabled." },
      429: { description: "Retried; `Retry-After` sets when (also for 503). Any other non-2xx, a timeout or a redirect is retried on the schedule." },
    },
  });
}
