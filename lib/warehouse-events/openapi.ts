import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { BODY_ERRORS, jsonContent, responses } from "@/lib/api/openapi-parts";
import { z } from "@/lib/api/zod";
import { inboundReceiptEventSchema, inventoryEventSchema, returnReceiptEventSchema, statusEventSchema, warehouseEventBody } from "./schema";

const EventAccepted = z
  .object({
    accepted: z.literal(true),
    state: z.enum(["applied", "stale", "ignored", "duplicate", "failed", "flagged"]).openapi({
      description:
        "applied: the state changed. stale: older than what is applied, kept on the timeline, not applied. ignored: the status maps to ignore (a label-only notice). " +
        "duplicate: the same WMS shipment was already recorded. failed: not applied (see reason), shown to ops and replayable. flagged: about a cancelled order or a voided label; recorded and raised, not applied.",
    }),
    reason: z.string().optional().openapi({ example: "unmapped_status", description: "Why it was not applied: unmapped_status, unknown_order, unknown_shipment, unknown_tracking_number, unknown_sku, unknown_warehouse, stock_refused, missing_shipment_payload, order_cancelled, out_of_order, …" }),
    message: z.string().optional(),
  })
  .openapi("WarehouseEventResult");

const Duplicate = z.object({ duplicate: z.literal(true) }).openapi("WarehouseEventDuplicate");

export function registerWarehousePaths(registry: OpenAPIRegistry): void {
  registry.register("WarehouseStatusEvent", statusEventSchema);
  registry.register("WarehouseInventoryEvent", inventoryEventSchema);
  registry.register("WarehouseInboundReceiptEvent", inboundReceiptEventSchema);
  registry.register("WarehouseReturnReceiptEvent", returnReceiptEventSchema);
  registry.registerPath({
    method: "post",
    path: "/v1/warehouse-events",
    tags: ["Warehouse"],
    summary: "Report what physically happened (WMS, carrier)",
    description:
      "For keys with role `warehouse`; partner keys get 403 `forbidden`. Orders, shipments, SKUs, ASNs and returns resolve within the key's account and environment.\n\n" +
      "**Dedup.** `event_id` is unique per account and environment: a repeat answers 200 `{\"duplicate\": true}` and changes nothing, however many copies arrive at once.\n\n" +
      "**Status events** (`type` omitted or `status`): `source` + `status` is resolved through the status mapping to a canonical order or shipment status, " +
      "then applied by the same code as the sandbox (pick, ship, carrier status, void, cancel). A status that maps to `shipped` needs `shipment` (items, parcels, cost; " +
      "`shipment.id` = your shipment id, a second report of it creates nothing). Carrier scans name the shipment by `shipment_id` or `tracking_number`. " +
      "A label-only status (LABEL_CREATED, …) never means shipped. Reports older than what is applied never roll state back: they are kept on the order's timeline, marked stale.\n\n" +
      "**Inventory** (`type: inventory`): `sku`, `warehouse_id`, and `quantity_delta` with a `reason`, or an absolute `on_hand` (a cycle count). Recorded as an inventory adjustment; " +
      "growth releases backorders first-come-first-served. A count below what is allocated is recorded too: unpicked orders that no longer fit are backordered " +
      "(or re-routed) newest first; picked units are never taken back; only a result below zero is refused (`stock_refused`). **Receipts**: `inbound_receipt` (against an ASN) and `return_receipt` (with per-item `condition`).\n\n" +
      "**Outcome.** 200 `{accepted: true, state: applied|stale|ignored|duplicate}`. 202 `{accepted: true, state: failed|flagged, reason}` when it was recorded but not applied: " +
      "an unmapped status, an unknown order/shipment/SKU, or a change that would take stock below zero. A failed event is never partially applied; ops sees it and replays it once fixed. " +
      "Malformed bodies are 4xx with the error envelope, and nothing is recorded.",
    request: { body: { required: true, content: jsonContent(warehouseEventBody) } },
    responses: responses(
      {
        200: { description: "Applied, stale, ignored, or a duplicate (`{\"duplicate\": true}`).", schema: z.union([EventAccepted, Duplicate]) },
        202: { description: "Recorded, not applied: `failed` (fix and replay) or `flagged` (raised as an exception).", schema: EventAccepted },
      },
      [...BODY_ERRORS],
    ),
  });
}
