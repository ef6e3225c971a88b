import { z, isoDateTime } from "@/lib/api/zod";
import { eventTypes } from "@/lib/events/outbox";
import { MAX_URL_LENGTH } from "./url-policy";

export const WebhookEventType = z.enum(eventTypes).openapi("WebhookEventType", { description: "An event a subscription can receive." });

export const CreateWebhookBody = z
  .object({
    url: z.string().max(MAX_URL_LENGTH).openapi({
      example: "https://erp.example.com/webhooks/wms",
      description:
        "Where deliveries are POSTed: https:// (or http://), no credentials. Subscriptions of either environment must resolve to public addresses only (checked again at every delivery).",
    }),
    events: z
      .array(WebhookEventType)
      .min(1, "must name at least one event type")
      .max(50)
      .openapi({ example: ["shipment.created", "shipment.updated", "order.cancelled"] }),
  })
  .strict()
  .openapi("CreateWebhookRequest");

export type CreateWebhookInput = z.infer<typeof CreateWebhookBody>;

/** The subscription as the API returns it (presentWebhook, lib/webhooks/subscriptions.ts). */
export const webhookObjectSchema = z
  .object({
    id: z.string().openapi({ example: "whk_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    url: z.string(),
    events: z.array(WebhookEventType),
    status: z.enum(["active", "disabled"]).openapi({
      description: "`disabled` after the receiver answered 410 Gone or failed for 24 h; operations re-enable it once fixed.",
    }),
    disabled_reason: z.string().nullable(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .openapi("Webhook");
export type WebhookObject = z.infer<typeof webhookObjectSchema>;

/** The subscription just created: the only answer that carries its signing secret. */
export const createdWebhookObjectSchema = webhookObjectSchema.extend({
  secret: z.string().openapi({
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw7x1aC6c1Q9E=",
    description: "The signing secret: `whsec_` + base64 of 32 random bytes. Returned only in this response; store it.",
  }),
}).openapi("WebhookCreated");
export type CreatedWebhookObject = z.infer<typeof createdWebhookObjectSchema>;

export const WebhookDeliverySchema = z
  .object({
    event_id: z.string().openapi({ example: "evt_01jd2k3m4n5p6q7r8s9t0v1w2x", description: "Stable across retries and replays: your dedup key." }),
    event_type: WebhookEventType,
    created_at: isoDateTime.openapi({ description: "When the change happened (its transaction), not when this attempt was sent." }),
    data: z.record(z.string(), z.unknown()).openapi({ description: "The full resource as the API returned it at that moment (shipment, order, …)." }),
  })
  .openapi("WebhookDelivery");
