import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { BODY_ERRORS, idParam, jsonContent, listEnvelope, responses } from "@/lib/api/openapi-parts";
import { adjustmentListQuery, adjustmentObjectSchema } from "@/lib/inventory/schema";
import { createInboundSchema, inboundListQuery, inboundObjectSchema, inboundReceiptSchema } from "./schema";

const inboundId = idParam("ib", "The inbound shipment's id.");

/** Inbound shipments (ASNs), their sandbox receipt, and the adjustments receipts produce. */
export function registerInboundPaths(registry: OpenAPIRegistry): void {
  registry.register("InboundShipment", inboundObjectSchema);
  registry.register("InventoryAdjustment", adjustmentObjectSchema);

  registry.registerPath({
    method: "post",
    path: "/v1/inbound-shipments",
    tags: ["Inbound shipments"],
    summary: "Announce an inbound shipment (ASN)",
    description:
      "Every expected unit counts as `incoming` in `GET /v1/inventory` at the warehouse until received (or the ASN is closed). " +
      "Idempotent on `reference`: the same body again answers 200 with the first one and `Idempotent-Replayed: true`; a different body is 409 `duplicate_reference` with `inbound_shipment_id`. " +
      "Every SKU must be a SKU of your account (422 `unknown_sku`, field `items[i].sku`); nothing is recorded on any error.",
    request: { body: { required: true, content: jsonContent(createInboundSchema) } },
    responses: responses({ 201: { description: "Created (status `expected`).", schema: inboundObjectSchema }, 200: { description: "A replay of the same body.", schema: inboundObjectSchema } }, [
      ...BODY_ERRORS,
      "unknown_sku",
      "invalid_warehouse",
      "duplicate_reference",
    ]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/inbound-shipments",
    tags: ["Inbound shipments"],
    summary: "List inbound shipments changed since a point",
    description: "Sorted by `updated_at` then id; a receipt moves `updated_at`. Each item carries `received_quantity` and the signed `discrepancy` (received − expected).",
    request: { query: inboundListQuery },
    responses: responses({ 200: { description: "A page of inbound shipments.", schema: listEnvelope(inboundObjectSchema, "InboundShipmentList") } }, ["invalid_parameter", "invalid_cursor"]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/inbound-shipments/{id}",
    tags: ["Inbound shipments"],
    summary: "Get an inbound shipment",
    request: { params: inboundId },
    responses: responses({ 200: { description: "The inbound shipment.", schema: inboundObjectSchema } }, ["not_found"]),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/inbound-shipments/{id}/receive",
    tags: ["Sandbox"],
    summary: "Simulate receiving goods against an ASN",
    description:
      "Sandbox only (`wms_test_` keys; live keys get 403 `sandbox_only`); the same code as the warehouse's `inbound_receipt` event. Receipts add up. " +
      "Received units join `on_hand` (an adjustment with reason `received`), leave `incoming`, and release backorders first-come-first-served; partners hear `inbound.received`. " +
      "Status: `received` once every line is in full or `complete: true`, else `partially_received`. A closed ASN refuses further receipts (422).",
    request: { params: inboundId, body: { required: true, content: jsonContent(inboundReceiptSchema) } },
    responses: responses({ 200: { description: "The inbound shipment after the receipt.", schema: inboundObjectSchema } }, [...BODY_ERRORS, "not_found", "sandbox_only", "unknown_sku"]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/inventory-adjustments",
    tags: ["Inventory"],
    summary: "List stock adjustments (signed deltas with a reason)",
    description:
      "Every stock change outside an order: `damaged`, `cycle_count`, `lost`, `found`, `expired`, `received` (inbound receipts), `returned` (restocked returns). " +
      "Sorted by `updated_at` then id, with the same polling promise as every changes list.",
    request: { query: adjustmentListQuery },
    responses: responses({ 200: { description: "A page of adjustments.", schema: listEnvelope(adjustmentObjectSchema, "InventoryAdjustmentList") } }, ["invalid_parameter", "invalid_cursor"]),
  });
}
