import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackPath } from "@/lib/auth/callback-path";

describe("the page to return to after signing in", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeCallbackPath("/orders/ord_1?tab=timeline#parcels")).toBe("/orders/ord_1?tab=timeline#parcels");
    expect(safeCallbackPath("/exceptions")).toBe("/exceptions");
  });

  it("never leaves the site, however the address is spelled", () => {
    for (const value of ["https://evil.example/", "//evil.example", "/\\evil.example", "/\\/evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "", undefined, null]) {
      expect(safeCallbackPath(value), JSON.stringify(value)).toBe(DEFAULT_AFTER_SIGN_IN);
    }
  });
});
