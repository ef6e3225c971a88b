import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { BODY_ERRORS, idParam, jsonContent, listEnvelope, responses } from "@/lib/api/openapi-parts";
import { orderObjectSchema } from "@/lib/orders/schema";
import { shipmentContent, shipmentListQuery, shipmentObjectSchema, shipmentStatusInput } from "./schema";

const shipmentId = idParam("shp", "The shipment's id.");
const orderId = idParam("ord", "The order's id.");

export function registerShipmentPaths(registry: OpenAPIRegistry): void {
  registry.register("Shipment", shipmentObjectSchema);

  registry.registerPath({
    method: "get",
    path: "/v1/shipments",
    tags: ["Shipments"],
    summary: "List shipments changed since a point",
    description:
      "Shipments of your account, sorted by `updated_at` then id. Poll with `updated_since` and follow `next_cursor` (see the completeness promise above). " +
      "One object per shipment with one parcel per tracking number; a voided shipment stays listed with `voided: true`.",
    request: { query: shipmentListQuery },
    responses: responses({ 200: { description: "A page of shipments.", schema: listEnvelope(shipmentObjectSchema, "ShipmentList") } }, [
      "invalid_parameter",
      "invalid_cursor",
    ]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/shipments/{id}",
    tags: ["Shipments"],
    summary: "Get a shipment",
    request: { params: shipmentId },
    responses: responses({ 200: { description: "The shipment.", schema: shipmentObjectSchema } }, ["not_found"]),
  });

  // Every simulation answers for an id of the tenant, with a sandbox key, and may take a JSON body.
  const sandboxErrors = ["not_found", "sandbox_only", ...BODY_ERRORS] as const;
  const sandbox = "Sandbox only (`wms_test_` keys; live keys get 403 `sandbox_only`). Runs the same code as the warehouse's own reports.";
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/orders/{id}/pick",
    tags: ["Sandbox"],
    summary: "Simulate picking: order → processing",
    description:
      `${sandbox} From \`received\` the order moves to \`processing\` (no longer amendable or cancellable); repeating it changes nothing. ` +
      "A `backordered`, `on_hold` or `cancelled` order cannot be picked (422 `validation_error` with `order_status`); a shipped one answers 409 `already_shipped`. No body needed.",
    request: { params: orderId },
    responses: responses({ 200: { description: "The order, now processing.", schema: orderObjectSchema } }, [...sandboxErrors, "already_shipped"]),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/orders/{id}/ship",
    tags: ["Sandbox"],
    summary: "Simulate a shipment",
    description:
      `${sandbox} The body is optional: by default every unshipped unit ships in one parcel with a generated tracking number, carrier and service from the order's shipping method. ` +
      "Shipped units leave `on_hand` and `allocated`. The order becomes `partially_shipped` or `shipped`. Shipping an order that was never picked is allowed (the warehouse may skip that report). " +
      "An item whose SKU is not a line of the order, or more units than are left to ship, is 422 `validation_error` naming `items[i].sku` / `items[i].quantity`; " +
      "a fully shipped order is 409 `already_shipped`; a `backordered`, `on_hold` or `cancelled` order is 422 `validation_error` with `order_status`.",
    request: { params: orderId, body: { required: false, content: jsonContent(shipmentContent) } },
    responses: responses({ 201: { description: "The shipment created.", schema: shipmentObjectSchema } }, [...sandboxErrors, "already_shipped"]),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/shipments/{id}/status",
    tags: ["Sandbox"],
    summary: "Simulate a carrier status",
    description:
      `${sandbox} Moves forward along shipped → in_transit → out_for_delivery → delivered; \`exception\` from any point, and out of it to any carrier status. ` +
      "Moving backwards, or any status on a voided shipment, is 422 `validation_error` with `shipment_status`. The same status again changes nothing. " +
      "(Reports from real carriers carry their time: an older one is kept on the order's timeline as stale and never rolls the status back.)",
    request: { params: shipmentId, body: { required: true, content: jsonContent(shipmentStatusInput) } },
    responses: responses({ 200: { description: "The shipment.", schema: shipmentObjectSchema } }, [...sandboxErrors]),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/shipments/{id}/void",
    tags: ["Sandbox"],
    summary: "Simulate voiding a label",
    description:
      `${sandbox} The shipment gets \`voided: true\` and status \`voided\` and stays listed. Its units are not restocked and the order's shipped quantities stay: ` +
      "the warehouse reports what it puts back on the shelf. Voiding again changes nothing; a delivered shipment cannot be voided (422 `validation_error`). No body needed.",
    request: { params: shipmentId },
    responses: responses({ 200: { description: "The voided shipment.", schema: shipmentObjectSchema } }, [...sandboxErrors]),
  });
}
