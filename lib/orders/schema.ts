import { orderStatusEnum } from "@/db/schema";
import { changeListParams, listParams } from "@/lib/api/pagination";
import { countryCode, currencyCode, decimalString, isoDateTime, positiveQuantity, text, z } from "@/lib/api/zod";
import { shipmentObjectSchema } from "@/lib/shipments/schema";

export const MAX_ORDER_LINES = 500;

export const addressSchema = z
  .object({
    name: text(200).nullish(),
    company: text(200).nullish(),
    email: text(320).nullish(),
    phone: text(50).nullish(),
    address1: text(300).min(1),
    address2: text(300).nullish(),
    city: text(200).min(1),
    state: text(100).nullish(),
    postcode: text(20).nullish(),
    country: countryCode,
  })
  .strict()
  .openapi("Address");

export const orderItemSchema = z
  .object({
    sku: text(200).min(1),
    description: text(500).nullish(),
    quantity: positiveQuantity,
    unit_price: decimalString.nullish(),
    currency: currencyCode.nullish(),
  })
  .strict()
  .openapi("OrderItemInput");

const items = z.array(orderItemSchema).min(1, "must contain at least one line").max(MAX_ORDER_LINES, `must contain at most ${MAX_ORDER_LINES} lines`);

const handling = {
  signature_required: z.boolean().optional(),
  insurance: z.boolean().optional(),
  gift_message: text(1000).nullish(),
  packing_note: text(1000).nullish(),
};

export const createOrderSchema = z
  .object({
    order_number: text(100).min(1),
    reference: text(200).min(1).openapi({ description: "Your unique fulfillment reference: unique per account and environment (the dedup anchor)." }),
    order_date: isoDateTime.optional().openapi({ description: "Defaults to the time of creation." }),
    warehouse_id: z.string().min(1).max(100).optional().openapi({ description: "Omit to let the routing rules choose." }),
    shipping_method_id: z.string().min(1).max(100).optional(),
    shipping_method: text(200).min(1).optional().openapi({ description: "A method name, when you have no id; case-insensitive." }),
    ship_to: addressSchema,
    items,
    tags: z.array(text(100).min(1)).max(50).optional().openapi({ description: "Free labels; routing rules can match on them." }),
    ...handling,
  })
  .strict()
  .openapi("CreateOrderRequest");

export type CreateOrderInput = z.infer<typeof createOrderSchema>;

export const amendOrderSchema = z
  .object({
    shipping_method_id: z.string().min(1).max(100).optional(),
    shipping_method: text(200).min(1).optional(),
    ship_to: addressSchema.optional().openapi({ description: "Replaces the whole address." }),
    items: items.optional().openapi({ description: "The full desired line set: replaces every line." }),
    // Known so that it can be refused with its own code rather than as an unknown field.
    warehouse_id: z.unknown().optional().openapi({ description: "Not amendable: 422 warehouse_change_not_allowed (cancel and re-create)." }),
    ...handling,
  })
  .strict()
  .openapi("AmendOrderRequest");

export type AmendOrderInput = z.infer<typeof amendOrderSchema>;

export const cancelOrderSchema = z
  .object({ reason: text(500).optional() })
  .strict()
  .openapi("CancelOrderRequest");

export const orderNoteSchema = z
  .object({ message: text(2000).trim().min(1, "must not be empty") })
  .strict()
  .openapi("OrderNoteRequest");

export const listOrdersQuery = z.object({
  ...changeListParams,
  status: z.enum(orderStatusEnum.enumValues).optional(),
  order_number: z.string().min(1).max(100).optional(),
  reference: z.string().min(1).max(200).optional(),
});

export const listEventsQuery = z.object({ ...listParams });

const nullableText = z.string().nullable();

/** The ship-to address as the API returns it: every key present, absent ones null, so partners map a fixed shape. */
export const addressObjectSchema = z
  .object({
    name: nullableText,
    company: nullableText,
    email: nullableText,
    phone: nullableText,
    address1: z.string(),
    address2: nullableText,
    city: z.string(),
    state: nullableText,
    postcode: nullableText,
    country: z.string().openapi({ example: "AU" }),
  })
  .openapi("ShipTo");
export type AddressObject = z.infer<typeof addressObjectSchema>;

/** The order as the API returns it (presentOrder, lib/orders/present.ts). */
export const orderObjectSchema = z
  .object({
    id: z.string().openapi({ example: "ord_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    order_number: z.string().openapi({ example: "SO-100423" }),
    reference: z.string().openapi({ example: "F-100423-1" }),
    channel: z.string().openapi({ description: "`api` for orders created here, `shopify` for channel orders.", example: "api" }),
    status: z.enum(orderStatusEnum.enumValues),
    hold_reason: nullableText.openapi({ description: "Why an `on_hold` order waits: `no_eligible_warehouse`, `unmapped_sku`, …" }),
    warehouse_id: nullableText.openapi({ description: "Null while no warehouse could be chosen (on hold)." }),
    shipping_method_id: nullableText,
    order_date: isoDateTime,
    ship_to: addressObjectSchema,
    items: z.array(
      z.object({
        sku: z.string(),
        description: nullableText,
        quantity: z.number().int(),
        quantity_shipped: z.number().int(),
        unit_price: nullableText.openapi({ example: "19.99" }),
        currency: nullableText.openapi({ example: "AUD" }),
      }),
    ),
    signature_required: z.boolean(),
    insurance: z.boolean(),
    gift_message: nullableText,
    packing_note: nullableText,
    version: z.string().openapi({ description: "Rises with every change; send it back in `If-Match` when amending.", example: "1" }),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    shipments: z.array(shipmentObjectSchema),
  })
  .openapi("Order");
export type OrderObject = z.infer<typeof orderObjectSchema>;

/** One entry of an order's timeline as the API returns it (presentOrderEvent, lib/events/timeline.ts). */
export const orderEventObjectSchema = z
  .object({
    id: z.string().openapi({ example: "oev_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    type: z.string().openapi({ description: "received, routed, routing_failed, allocated, backordered, on_hold, amended, cancelled, note, backorder_released, …" }),
    source: z.string().openapi({ description: "The system it came from: api, shopify, wms, carrier, sandbox, dashboard, system." }),
    raw_status: nullableText,
    status: nullableText.openapi({ description: "The canonical order status after this event, when it set one." }),
    message: z.string(),
    actor: nullableText,
    stale: z.boolean().openapi({ description: "An out-of-order report, kept for the record but not applied." }),
    occurred_at: isoDateTime,
    recorded_at: isoDateTime,
  })
  .openapi("OrderEvent");
export type OrderEventObject = z.infer<typeof orderEventObjectSchema>;
