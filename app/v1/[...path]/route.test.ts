import { describe, expect, it } from "vitest";
import { call, expectError } from "@/e2e/support/route-calls";
import * as route from "./route";

describe("unknown /v1 paths", () => {
  it.each(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const)("%s answers 404 not_found in the envelope", async (method) => {
    const res = await call(route[method], "/v1/shipmentz/abc", { method });
    expectError(res, 404, "not_found");
    expect(res.body.error.message).toContain("/v1/shipmentz/abc");
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("echoes a valid request id and replaces an invalid one", async () => {
    const echoed = await call(route.GET, "/v1/nope", { headers: { "x-request-id": "trace-123" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-123");
    expect(echoed.body.error.request_id).toBe("trace-123");
    const replaced = await call(route.GET, "/v1/nope", { headers: { "x-request-id": "bad id with spaces" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_/);
  });
});
