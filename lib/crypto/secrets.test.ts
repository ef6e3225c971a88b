import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests, setEnvForTests } from "@/lib/env";
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

describe("checkSecretsKey (run when the server or the worker starts)", () => {
  afterEach(() => {
    resetEnvForTests();
    vi.resetModules();
  });

  it("refuses a key that is not 32 bytes", async () => {
    setEnvForTests({ SECRETS_KEY: Buffer.alloc(16, 1).toString("base64") });
    vi.resetModules();
    const { checkSecretsKey } = await import("./secrets");
    expect(() => checkSecretsKey()).toThrow(/exactly 32 bytes/);
  });

  it("refuses a production deployment on a shared database without a key", async () => {
    setEnvForTests({ SECRETS_KEY: "", DATABASE_URL: "postgres://hub@db.internal:5432/hub", NODE_ENV: "production" });
    vi.resetModules();
    const { checkSecretsKey } = await import("./secrets");
    expect(() => checkSecretsKey()).toThrow(/SECRETS_KEY is not set/);
  });

  it("accepts a 32-byte key", async () => {
    setEnvForTests({ SECRETS_KEY: Buffer.alloc(32, 9).toString("base64") });
    vi.resetModules();
    const { checkSecretsKey } = await import("./secrets");
    expect(() => checkSecretsKey()).not.toThrow();
  });
});
