import { changeListParams } from "@/lib/api/pagination";
import { isoDateTime, positiveQuantity, text, z } from "@/lib/api/zod";

export const returnStatuses = ["expected", "received", "processed"] as const;
export const returnConditions = ["resellable", "damaged", "defective"] as const;
export type ReturnCondition = (typeof returnConditions)[number];

export const createReturnSchema = z
  .strictObject({
    order_id: z.string().min(1).max(100).openapi({ description: "The original order; it must have shipped." }),
    rma: text(200).min(1).openapi({ example: "RMA-100423", description: "Your RMA number; unique per account and environment. Re-sending the same body replays." }),
    warehouse_id: z.string().min(1).max(100).optional().openapi({ description: "Where the goods come back to; default the order's warehouse." }),
    items: z
      .array(z.strictObject({ sku: text(100).min(1), quantity: positiveQuantity }).openapi("ReturnItemInput"))
      .min(1, "must contain at least one line")
      .max(500)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((item, i) => {
          if (seen.has(item.sku)) ctx.addIssue({ code: "custom", message: `SKU '${item.sku}' appears more than once; send one line per SKU.`, path: [i, "sku"] });
          seen.add(item.sku);
        });
      }),
  })
  .openapi("CreateReturnRequest");
export type CreateReturnInput = z.infer<typeof createReturnSchema>;

export const returnReceiptSchema = z
  .strictObject({
    items: z
      .array(
        z
          .strictObject({
            sku: text(100).min(1),
            quantity: positiveQuantity,
            condition: z.enum(returnConditions).optional().openapi({ description: "Omit when not inspected yet: the units are held, not available." }),
          })
          .openapi("ReturnReceiptItem"),
      )
      .min(1, "must contain at least one line")
      .max(500),
    received_at: isoDateTime.optional(),
  })
  .openapi("ReturnReceiptRequest", {
    description:
      "On an `expected` return: what arrived. Items with a condition are inspected (resellable units go back on sale); items without one wait in quarantine and the return is `received`. On a `received` return: the inspection of the waiting units (every item needs a condition).",
  });

export const returnListQuery = z.object({
  ...changeListParams,
  status: z.enum(returnStatuses).optional(),
  order_id: z.string().min(1).max(100).optional(),
  rma: z.string().min(1).max(200).optional(),
});

/** The return as the API returns it (presentReturn, lib/returns/read.ts). */
export const returnObjectSchema = z
  .object({
    id: z.string().openapi({ example: "ret_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    order_id: z.string(),
    order_number: z.string(),
    rma: z.string(),
    status: z.enum(returnStatuses).openapi({ description: "expected → received (awaiting inspection) → processed" }),
    warehouse_id: z.string(),
    received_at: isoDateTime.nullable(),
    processed_at: isoDateTime.nullable(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    items: z
      .array(
        z.object({
          sku: z.string(),
          quantity: z.number().int(),
          condition: z.enum(returnConditions).nullable().openapi({ description: "null: not inspected yet (held, not available)." }),
          restocked: z.boolean().openapi({ description: "true only for resellable units put back on sale." }),
        }),
      )
      .openapi({ description: "What was received, one line per SKU and condition; before receipt, the authorized lines." }),
    expected_items: z.array(z.object({ sku: z.string(), quantity: z.number().int() })).openapi({ description: "The lines of the RMA as authorized." }),
  })
  .openapi("Return");
export type ReturnObject = z.infer<typeof returnObjectSchema>;
