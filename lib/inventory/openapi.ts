import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { BODY_ERRORS, jsonContent, listEnvelope, responses } from "@/lib/api/openapi-parts";
import { inventoryListQuery, inventoryObjectSchema, sandboxInventoryInput } from "./schema";

export function registerInventoryPaths(registry: OpenAPIRegistry): void {
  registry.register("Inventory", inventoryObjectSchema);

  registry.registerPath({
    method: "get",
    path: "/v1/inventory",
    tags: ["Inventory"],
    summary: "List stock per SKU and warehouse, changed since a point",
    description:
      "One object per SKU of your account with a `warehouses[]` breakdown, sorted by the SKU's `updated_at` (which moves whenever any of its numbers move) then id. " +
      "Poll with `updated_since` and follow `next_cursor`. `available` = `on_hand` − `allocated`, never below zero; returned units awaiting inspection are in neither.",
    request: { query: inventoryListQuery },
    responses: responses({ 200: { description: "A page of inventory.", schema: listEnvelope(inventoryObjectSchema, "InventoryList") } }, [
      "invalid_parameter",
      "invalid_cursor",
    ]),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/sandbox/inventory",
    tags: ["Sandbox"],
    summary: "Simulate a cycle count: set on_hand",
    description:
      "Sandbox only (`wms_test_` keys; live keys get 403 `sandbox_only`). Sets the SKU's `on_hand` at the warehouse, recorded as a `cycle_count` inventory adjustment " +
      "with the signed difference; creates the SKU for your account when it is new. When stock grows, backordered orders at that warehouse are allocated first come, first served. " +
      "A count below what is allocated is still recorded: orders the warehouse has not started give their allocations back, newest first, until the rest fits; " +
      "each becomes `backordered` (or is re-routed by your routing rules when another warehouse can take it, unless you named the warehouse), with a timeline entry, " +
      "an exception and `order.updated`. Picked units are never taken back: when they alone exceed the count, `on_hand` stays at them and an exception is raised. " +
      "Unknown warehouse: 422 `invalid_warehouse`.",
    request: { body: { required: true, content: jsonContent(sandboxInventoryInput) } },
    responses: responses({ 200: { description: "The SKU's inventory after the count.", schema: inventoryObjectSchema } }, [
      ...BODY_ERRORS,
      "sandbox_only",
      "invalid_warehouse",
    ]),
  });
}
