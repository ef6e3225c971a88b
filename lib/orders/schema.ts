import { orderStatusEnum } from "@/db/schema";
import { changeListParams, listParams } from "@/lib/api/pagination";
import { countryCode, currencyCode, decimalString, isoDateTime, positiveQuantity, text, z } from "@/lib/api/zod";

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

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "must be 1–255 printable ASCII characters without spaces");
