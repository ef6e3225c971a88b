import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { describe, expect, it } from "vitest";
import { ErrorEnvelope, PaginationBlock } from "@/lib/api/openapi-parts";
import { registerOrderPaths } from "./openapi";

describe("registerOrderPaths", () => {
  it("describes every order endpoint with its success and error responses", () => {
    const registry = new OpenAPIRegistry();
    registry.register("Error", ErrorEnvelope);
    registry.register("Pagination", PaginationBlock);
    registerOrderPaths(registry);
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    const paths = doc.paths ?? {};
    expect(Object.keys(paths).sort()).toEqual(["/v1/orders", "/v1/orders/{id}", "/v1/orders/{id}/cancel", "/v1/orders/{id}/events", "/v1/orders/{id}/notes"]);
    expect(Object.keys(paths["/v1/orders"]?.post?.responses ?? {}).sort()).toEqual(["200", "201", "400", "401", "403", "409", "413", "415", "422", "429", "500"]);
    expect(paths["/v1/orders"]?.post?.responses?.["409"]).toMatchObject({ description: expect.stringContaining("duplicate_reference") });
    expect(paths["/v1/orders/{id}/cancel"]?.post?.responses?.["409"]).toMatchObject({ description: expect.stringContaining("picking_started") });
    expect(paths["/v1/orders/{id}"]?.patch?.responses?.["422"]).toMatchObject({ description: expect.stringContaining("warehouse_change_not_allowed") });
    const schemas = doc.components?.schemas ?? {};
    for (const name of ["Order", "OrderEvent", "CreateOrderRequest", "AmendOrderRequest", "Shipment", "OrderList"]) expect(schemas).toHaveProperty(name);
    expect(JSON.stringify(schemas.CreateOrderRequest)).toContain('"additionalProperties":false');
  });
});
