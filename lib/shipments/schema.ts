import { changeListParams } from "@/lib/api/pagination";
import { isoDateTime, money, positiveQuantity, text, z } from "@/lib/api/zod";

export const shipmentStatuses = ["shipped", "in_transit", "out_for_delivery", "delivered", "exception", "voided"] as const;
/** What a carrier scan (or the sandbox) may move a shipment to; `voided` has its own endpoint. */
export const trackingStatuses = ["in_transit", "out_for_delivery", "delivered", "exception"] as const;
export type TrackingStatus = (typeof trackingStatuses)[number];

const weight = z
  .strictObject({ value: z.number().positive().max(100_000), unit: z.enum(["kg", "g", "lb", "oz"]) })
  .openapi("Weight", { example: { value: 1.2, unit: "kg" } });
const dimensions = z
  .strictObject({
    length: z.number().positive().max(100_000),
    width: z.number().positive().max(100_000),
    height: z.number().positive().max(100_000),
    unit: z.enum(["cm", "mm", "m", "in"]),
  })
  .openapi("Dimensions", { example: { length: 30, width: 20, height: 10, unit: "cm" } });

export const parcelInput = z
  .strictObject({
    tracking_number: text(100).min(1).optional().openapi({ description: "Generated when omitted." }),
    tracking_url: z.url({ protocol: /^https?$/ }).max(2000).optional().openapi({ description: "Built from the shipping method's template when omitted." }),
    carrier: text(100).min(1).optional().openapi({ description: "Defaults to the order's shipping method's carrier." }),
    service: text(100).min(1).optional().openapi({ description: "Defaults to the order's shipping method's name." }),
    weight: weight.optional(),
    dimensions: dimensions.optional(),
  })
  .openapi("ParcelInput");

export const shipItemInput = z.strictObject({ sku: text(100).min(1), quantity: positiveQuantity }).openapi("ShipItemInput");

/** What shipped: shared by the sandbox ship endpoint and warehouse events that carry a shipment. */
export const shipmentContent = z
  .strictObject({
    items: z
      .array(shipItemInput)
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: "Defaults to every unit not yet shipped. Each SKU must be a line of the order, at most its unshipped quantity." }),
    parcels: z
      .array(parcelInput)
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "One per physical box, each with its own tracking number. Defaults to one parcel." }),
    cost: money.optional().openapi({ description: "The actual freight cost." }),
  })
  .openapi("SandboxShipRequest");
export type ShipmentContent = z.infer<typeof shipmentContent>;

export const shipmentStatusInput = z.strictObject({ status: z.enum(trackingStatuses) }).openapi("SandboxShipmentStatusRequest");

export const shipmentListQuery = z.object({
  ...changeListParams,
  order_id: z.string().max(100).optional().openapi({ description: "Only the shipments of this order." }),
});

const moneyOut = z.object({ amount: z.string().openapi({ example: "12.40" }), currency: z.string().openapi({ example: "AUD" }) });

/** The shipment as the API returns it: the document shipmentJson renders (lib/shipments/present.ts). */
export const shipmentObjectSchema = z
  .object({
    id: z.string().openapi({ example: "shp_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    order_id: z.string(),
    order_number: z.string(),
    status: z.enum(shipmentStatuses),
    warehouse_id: z.string(),
    shipped_at: isoDateTime,
    created_at: isoDateTime,
    updated_at: isoDateTime,
    cost: moneyOut.nullable(),
    voided: z.boolean().openapi({ description: "A voided shipment stays listed, with status `voided`; its units are not restocked." }),
    parcels: z.array(
      z.object({
        tracking_number: z.string(),
        tracking_url: z.string().nullable(),
        carrier: z.string().nullable(),
        service: z.string().nullable(),
        weight: weight.optional(),
        dimensions: dimensions.optional(),
      }),
    ),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
  })
  .openapi("Shipment");
export type ShipmentObject = z.infer<typeof shipmentObjectSchema>;
