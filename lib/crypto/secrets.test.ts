import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secrets";

describe("encryptSecret / decryptSecret", () => {
  it("round-trips, never repeats a ciphertext, and keeps the plaintext out of the stored form", () => {
    const a = encryptSecret("whsec_top-secret", "webhook_endpoints:whk_1");
    const b = encryptSecret("whsec_top-secret", "webhook_endpoints:whk_1");
    expect(a).not.toEqual(b);
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain("top-secret");
    expect(decryptSecret(a, "webhook_endpoints:whk_1")).toBe("whsec_top-secret");
  });

  it("refuses a ciphertext moved to another row or tampered with", () => {
    const stored = encryptSecret("whsec_abc", "webhook_endpoints:whk_1");
    expect(() => decryptSecret(stored, "webhook_endpoints:whk_2")).toThrow();
    const raw = Buffer.from(stored.slice(3), "base64");
    raw[raw.length - 1] ^= 1;
    expect(() => decryptSecret(`v1:${raw.toString("base64")}`, "webhook_endpoints:whk_1")).toThrow();
    expect(() => decryptSecret("plain", "")).toThrow(/format/);
  });
});
