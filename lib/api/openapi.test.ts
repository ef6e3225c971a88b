import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { call, type RouteHandler } from "@/e2e/support/route-calls";
import { inventoryListQuery, sandboxInventoryInput } from "@/lib/inventory/schema";
import { shipmentContent, shipmentListQuery, shipmentStatusInput } from "@/lib/shipments/schema";
import { openApiDocument, openApiJson } from "./openapi";

type Json = Record<string, unknown>;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/v1 as the path it serves ("/v1/orders/{id}"), the catch-all excepted. */
function routeFiles(): { file: string; apiPath: string }[] {
  const root = path.resolve("app/v1");
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith(`${path.sep}route.ts`) || f === "route.ts")
    .filter((f) => !f.includes("[..."))
    .map((f) => ({
      file: path.join(root, f),
      apiPath: `/v1/${path.dirname(f).split(path.sep).join("/")}`.replace(/\[([^\]]+)\]/g, "{$1}"),
    }));
}

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 JSON with bearer auth, the error envelope and rate-limit headers, built once", () => {
    const doc = JSON.parse(openApiJson()) as Json & { components: Json & { schemas: Json; headers: Json; securitySchemes: Json } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    expect(Object.keys(doc.components.headers)).toEqual(expect.arrayContaining(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After", "X-Request-Id"]));
    expect(doc.components.schemas.Error).toBeDefined();
    expect(String((doc.info as Json).description)).toContain("never miss a change");
    expect(openApiDocument()).toBe(openApiDocument());
    // Every reference points at something that exists.
    for (const ref of refs(doc)) {
      const target = ref
        .replace(/^#\//, "")
        .split("/")
        .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it("describes every method every route under /v1 serves", async () => {
    const doc = openApiDocument();
    const missing: string[] = [];
    for (const { file, apiPath } of routeFiles()) {
      const mod = (await import(file)) as Partial<Record<(typeof METHODS)[number], RouteHandler>>;
      for (const method of METHODS) {
        const handler = mod[method];
        if (!handler) continue;
        // A method the route does not serve answers 405 before anything else; a served one gets past that (401 without a key).
        const res = await call(handler, apiPath.replace(/\{[^}]+\}/g, "x"), { method, params: { id: "x" } });
        if (res.status === 405) continue;
        const operation = (doc.paths?.[apiPath] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
        if (!operation) missing.push(`${method} ${apiPath}`);
        else expect(Object.keys(operation.responses as Json), `${method} ${apiPath}`).toEqual(expect.arrayContaining([String(res.status)]));
      }
    }
    // An area that serves a route registers it: registerXPaths(registry) in lib/<area>/openapi.ts, listed in lib/api/openapi.ts.
    expect(missing, "routes served but not in the OpenAPI document").toEqual([]);
  });

  it("is generated from the very schemas that validate requests", () => {
    const doc = openApiDocument();
    const schemas = doc.components!.schemas as Record<string, Json & { properties: Record<string, Json> }>;
    expect(schemas.SandboxShipmentStatusRequest.properties.status.enum).toEqual(shipmentStatusInput.shape.status.options);
    expect(Object.keys(schemas.SandboxShipRequest.properties).sort()).toEqual(Object.keys(shipmentContent.shape).sort());
    expect(schemas.SandboxShipRequest.additionalProperties).toBe(false);
    expect(schemas.SandboxInventoryRequest.properties.on_hand).toMatchObject({ type: "integer", minimum: 0 });
    expect(schemas.SandboxInventoryRequest.required).toEqual(Object.keys(sandboxInventoryInput.shape));

    // Codes and amounts say what the validators accept.
    expect(schemas.Address.properties.country.description).toMatch(/ISO-3166-1 alpha-2/);
    expect(schemas.Money.properties.currency.description).toMatch(/ISO-4217/);
    expect(schemas.Money.properties.amount.description).toMatch(/zero or more/);

    const statusOp = doc.paths!["/v1/sandbox/shipments/{id}/status"]!.post as Json;
    expect(refs(statusOp.requestBody)).toEqual(["#/components/schemas/SandboxShipmentStatusRequest"]);
    // The query parameters documented are exactly those the strict parser accepts.
    const params = (op: string, schema: { shape: object }) => {
      const documented = ((doc.paths![op]!.get as Json).parameters as { name: string; in: string }[]).filter((p) => p.in === "query").map((p) => p.name);
      expect(documented.sort()).toEqual(Object.keys(schema.shape).sort());
    };
    params("/v1/shipments", shipmentListQuery);
    params("/v1/inventory", inventoryListQuery);
  });
});
