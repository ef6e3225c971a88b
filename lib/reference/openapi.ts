import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { listEnvelope, responses } from "@/lib/api/openapi-parts";
import { referenceListQuery, shippingMethodObjectSchema, warehouseObjectSchema } from "./schema";

export function registerReferencePaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: "get",
    path: "/v1/warehouses",
    tags: ["Reference data"],
    summary: "List warehouses",
    description: "The 3PL's warehouses of the key's environment, visible to every account. Ordered by id.",
    request: { query: referenceListQuery },
    responses: responses({ 200: { description: "The warehouses.", schema: listEnvelope(warehouseObjectSchema, "WarehouseList") } }, ["invalid_parameter", "invalid_cursor"]),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/shipping-methods",
    tags: ["Reference data"],
    summary: "List shipping methods",
    description: "The carrier services of the key's environment. Reference one by `shipping_method_id` on an order. Ordered by id.",
    request: { query: referenceListQuery },
    responses: responses(
      { 200: { description: "The shipping methods.", schema: listEnvelope(shippingMethodObjectSchema, "ShippingMethodList") } },
      ["invalid_parameter", "invalid_cursor"],
    ),
  });
}
