import { changeListParams } from "@/lib/api/pagination";
import { isoDate, isoDateTime, positiveQuantity, text, z } from "@/lib/api/zod";

export const inboundStatuses = ["expected", "partially_received", "received"] as const;

/** Each SKU once per list: two lines of one SKU would make "received against which line" ambiguous. */
function uniqueSkus(items: { sku: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.sku)) ctx.addIssue({ code: "custom", message: `SKU '${item.sku}' appears more than once; send one line per SKU.`, path: [i, "sku"] });
    seen.add(item.sku);
  });
}

export const createInboundSchema = z
  .strictObject({
    reference: text(200).min(1).openapi({ example: "ASN-5567", description: "Your PO / ASN reference; unique per account and environment. Re-sending the same body replays." }),
    warehouse_id: z.string().min(1).max(100),
    expected_at: z
      .union([isoDate, isoDateTime])
      .optional()
      .openapi({ description: "The expected arrival day. A date-time is accepted and stored as its UTC date; the object returns a date." }),
    supplier: text(200).min(1).optional().openapi({ example: "Acme Manufacturing" }),
    items: z
      .array(z.strictObject({ sku: text(100).min(1), expected_quantity: positiveQuantity }).openapi("InboundItemInput"))
      .min(1, "must contain at least one line")
      .max(500)
      .superRefine(uniqueSkus),
  })
  .openapi("CreateInboundShipmentRequest");
export type CreateInboundInput = z.infer<typeof createInboundSchema>;

export const inboundReceiptSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ sku: text(100).min(1), received_quantity: positiveQuantity }).openapi("InboundReceiptItem"))
      .min(1, "must contain at least one line")
      .max(500)
      .superRefine(uniqueSkus)
      .openapi({ description: "Units received in THIS receipt; receipts add up. A SKU of the account not on the ASN is recorded as an over-delivery." }),
    complete: z
      .boolean()
      .optional()
      .openapi({ description: "The last receipt: close the ASN even if some units never arrived (status `received`, their `incoming` released)." }),
    received_at: isoDateTime.optional().openapi({ description: "When the goods were received (default now)." }),
  })
  .openapi("InboundReceiptRequest");

export const inboundListQuery = z.object({
  ...changeListParams,
  status: z.enum(inboundStatuses).optional(),
  reference: z.string().min(1).max(200).optional(),
});

/** The inbound shipment as the API returns it (presentInbound, lib/inbound/read.ts). */
export const inboundObjectSchema = z
  .object({
    id: z.string().openapi({ example: "ib_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    reference: z.string(),
    status: z.enum(inboundStatuses).openapi({ description: "expected → partially_received → received" }),
    warehouse_id: z.string(),
    supplier: z.string().nullable(),
    expected_at: isoDate.nullable(),
    received_at: isoDateTime.nullable().openapi({ description: "Time of the latest receipt." }),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    items: z.array(
      z.object({
        sku: z.string(),
        expected_quantity: z.number().int(),
        received_quantity: z.number().int(),
        discrepancy: z.number().int().openapi({ description: "received − expected: negative = short, positive = over-delivered." }),
      }),
    ),
  })
  .openapi("InboundShipment");
export type InboundObject = z.infer<typeof inboundObjectSchema>;
