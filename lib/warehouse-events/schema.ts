import { ValidationError } from "@/lib/errors";
import { validateBody } from "@/lib/api/request";
import { isoDateTime, positiveQuantity, text, z } from "@/lib/api/zod";
import { ADJUSTMENT_REASONS } from "@/lib/inventory/schema";
import { returnConditions } from "@/lib/returns/schema";
import { shipmentContent } from "@/lib/shipments/schema";

const base = {
  event_id: text(200).min(1).openapi({ example: "wms-evt-88121", description: "Your event's id: the dedup key. A repeat answers 200 `{\"duplicate\": true}` and changes nothing." }),
  source: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, "must be a short system name such as wms, carrier or shopify")
    .transform((s) => s.toLowerCase())
    .openapi({ example: "wms", description: "The reporting system; with `status` it names the raw status resolved through the status mapping." }),
  occurred_at: isoDateTime.openapi({ description: "When it physically happened. Older than what is already applied → kept on the timeline as stale, never rolled back." }),
};

export const eventShipment = shipmentContent
  .extend({
    id: text(200).min(1).optional().openapi({ description: "Your (WMS) shipment id: a second report of it creates nothing." }),
    shipped_at: isoDateTime.optional().openapi({ description: "Default: occurred_at." }),
  })
  .openapi("WarehouseEventShipment");

export const statusEventSchema = z
  .strictObject({
    ...base,
    type: z.literal("status").optional().openapi({ description: "Default." }),
    status: text(64).min(1).openapi({ example: "PACKED", description: "The raw status of `source`, as that system spells it." }),
    order_id: z.string().min(1).max(100).optional(),
    shipment_id: z.string().min(1).max(100).optional().openapi({ description: "Our shipment id (shp_…), for carrier scans and voids." }),
    tracking_number: text(100).min(1).optional().openapi({ description: "Alternative to shipment_id for carrier scans." }),
    shipment: eventShipment.optional().openapi({ description: "What shipped: required when the status maps to shipped." }),
    message: text(1000).optional().openapi({ description: "Free text kept with the event." }),
  })
  .openapi("WarehouseStatusEvent");

export const inventoryEventSchema = z
  .strictObject({
    ...base,
    type: z.literal("inventory"),
    sku: text(100).min(1),
    warehouse_id: z.string().min(1).max(100),
    quantity_delta: z.number().int("must be a whole number").min(-10_000_000).max(10_000_000).refine((n) => n !== 0, "must not be zero").optional(),
    on_hand: z.number().int("must be a whole number").min(0, "must not be negative").max(10_000_000).optional(),
    reason: z.enum(ADJUSTMENT_REASONS).optional().openapi({ description: "Required with quantity_delta; an absolute on_hand is a cycle_count unless told otherwise." }),
    note: text(1000).optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.quantity_delta === undefined) === (e.on_hand === undefined)) {
      ctx.addIssue({ code: "custom", message: "give exactly one of quantity_delta or on_hand", path: [e.on_hand === undefined ? "quantity_delta" : "on_hand"] });
    }
    if (e.quantity_delta !== undefined && !e.reason) ctx.addIssue({ code: "custom", message: "a quantity_delta needs a reason", path: ["reason"] });
  })
  .openapi("WarehouseInventoryEvent");

export const inboundReceiptEventSchema = z
  .strictObject({
    ...base,
    type: z.literal("inbound_receipt"),
    inbound_shipment_id: z.string().min(1).max(100),
    items: z.array(z.strictObject({ sku: text(100).min(1), received_quantity: positiveQuantity })).min(1).max(500),
    complete: z.boolean().optional(),
  })
  .openapi("WarehouseInboundReceiptEvent");

export const returnReceiptEventSchema = z
  .strictObject({
    ...base,
    type: z.literal("return_receipt"),
    return_id: z.string().min(1).max(100),
    items: z
      .array(z.strictObject({ sku: text(100).min(1), quantity: positiveQuantity, condition: z.enum(returnConditions).optional() }))
      .min(1)
      .max(500),
  })
  .openapi("WarehouseReturnReceiptEvent");

export type StatusEvent = z.infer<typeof statusEventSchema>;
export type InventoryEvent = z.infer<typeof inventoryEventSchema>;
export type InboundReceiptEvent = z.infer<typeof inboundReceiptEventSchema>;
export type ReturnReceiptEvent = z.infer<typeof returnReceiptEventSchema>;
export type WarehouseEventInput =
  | (StatusEvent & { type?: "status" })
  | InventoryEvent
  | InboundReceiptEvent
  | ReturnReceiptEvent;

export const EVENT_TYPES = ["status", "inventory", "inbound_receipt", "return_receipt"] as const;

/** Documentation of the body: one of the four shapes, told apart by `type`. */
export const warehouseEventBody = z
  .union([statusEventSchema, inventoryEventSchema, inboundReceiptEventSchema, returnReceiptEventSchema])
  .openapi("WarehouseEvent");

/**
 * Picks the shape by `type` and validates against it alone, so a problem is reported on the field at fault
 * rather than as "matches none of four shapes".
 */
export function parseWarehouseEvent(body: unknown): WarehouseEventInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ValidationError("The body must be a JSON object.");
  const type = (body as { type?: unknown }).type ?? "status";
  switch (type) {
    case "status":
      return validateBody(body, statusEventSchema);
    case "inventory":
      return validateBody(body, inventoryEventSchema);
    case "inbound_receipt":
      return validateBody(body, inboundReceiptEventSchema);
    case "return_receipt":
      return validateBody(body, returnReceiptEventSchema);
    default:
      throw new ValidationError(`type must be one of: ${EVENT_TYPES.join(", ")}.`, "type");
  }
}
