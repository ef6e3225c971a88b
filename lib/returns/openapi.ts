import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { BODY_ERRORS, idParam, jsonContent, listEnvelope, responses } from "@/lib/api/openapi-parts";
import { createReturnSchema, returnListQuery, returnObjectSchema, returnReceiptSchema } from "./schema";

const returnId = idParam("ret", "The return's id.");

export function registerReturnPaths(registry: OpenAPIRegistry): void {
  registry.register("Return", returnObjectSchema);
  registry.registerPath({
    method: "post",
    path: "/v1/returns",
    tags: ["Returns"],
    summary: "Authorize a customer return (RMA)",
    description:
      "The order must have shipped, and each SKU must be a shipped line of it, at most its shipped units (422 `validation_error` naming the field). " +
      "Idempotent on `rma` like inbound shipments on `reference` (409 `duplicate_reference` with `return_id` for a different body). Nothing moves in stock until the goods arrive.",
    request: { body: { required: true, content: jsonContent(createReturnSchema) } },
    responses: responses({ 201: { description: "Created (status `expected`).", schema: returnObjectSchema }, 200: { description: "A replay of the same body.", schema: returnObjectSchema } }, [
      ...BODY_ERRORS,
      "invalid_warehouse",
      "duplicate_reference",
    ]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/returns",
    tags: ["Returns"],
    summary: "List returns changed since a point",
    description: "Sorted by `updated_at` then id. Items carry `condition` and `restocked`; only inspected resellable units are restocked (and count in `available`).",
    request: { query: returnListQuery },
    responses: responses({ 200: { description: "A page of returns.", schema: listEnvelope(returnObjectSchema, "ReturnList") } }, ["invalid_parameter", "invalid_cursor"]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/returns/{id}",
    tags: ["Returns"],
    summary: "Get a return",
    request: { params: returnId },
    responses: responses({ 200: { description: "The return.", schema: returnObjectSchema } }, ["not_found"]),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/returns/{id}/receive",
    tags: ["Sandbox"],
    summary: "Simulate a return arriving, or its inspection",
    description:
      "Sandbox only (`wms_test_` keys; live keys get 403 `sandbox_only`); the same code as the warehouse's `return_receipt` event. " +
      "On an `expected` return: items with a `condition` are inspected at once (resellable units restock: `on_hand` grows, an adjustment with reason `returned`; damaged and defective ones are recorded on the return only), " +
      "items without one wait in quarantine (not available) and the return is `received`. On a `received` return: the inspection of the waiting units (each item needs a condition, at most the waiting units). " +
      "The return is `processed` once nothing waits; a processed return refuses further receipts (422). Partners hear `return.received`.",
    request: { params: returnId, body: { required: true, content: jsonContent(returnReceiptSchema) } },
    responses: responses({ 200: { description: "The return after the receipt.", schema: returnObjectSchema } }, [...BODY_ERRORS, "not_found", "sandbox_only", "unknown_sku"]),
  });
}
