import { describe, expect, it } from "vitest";
import { call, expectError } from "@/e2e/support/route-calls";
import { GET, POST } from "./route";

describe("GET /v1/openapi.json", () => {
  it("serves the document without a key, with a request id", async () => {
    const res = await call(GET, "/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(["/v1/shipments", "/v1/inventory", "/v1/warehouses", "/v1/sandbox/orders/{id}/ship"]));
    expect(res.body.paths["/v1/openapi.json"].get.security).toEqual([]);
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await call(POST, "/v1/openapi.json", { body: {} });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });
});
