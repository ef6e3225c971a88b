import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { VERIFY_SNIPPET } from "./guide";
import { generateSigningSecret, signatureHeaders } from "./signing";

type Verifiers = {
  verifyHubSignature: (secret: string, raw: Buffer, header: string) => boolean;
  verifyStandardWebhook: (secret: string, raw: Buffer, headers: Record<string, string>) => boolean;
};

describe("webhooks in the OpenAPI document", () => {
  it("describes the subscription endpoints and the delivery, with the verification guide", () => {
    const doc = openApiDocument();
    expect(Object.keys(doc.paths?.["/v1/webhooks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths?.["/v1/webhooks/{id}"] ?? {}).sort()).toEqual(["delete", "get"]);
    expect(doc.paths?.["/v1/webhooks"]?.post?.description).toContain("verifyStandardWebhook");
    expect(doc.webhooks?.event?.post?.requestBody).toBeTruthy();
    expect(doc.components?.schemas?.WebhookCreated).toBeTruthy();
  });

  it("publishes verification code that accepts our signatures and rejects tampering", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "verify-"));
    const file = path.join(dir, "verify.mjs");
    writeFileSync(file, VERIFY_SNIPPET);
    const { verifyHubSignature, verifyStandardWebhook } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Verifiers;

    const secret = generateSigningSecret();
    const body = Buffer.from(JSON.stringify({ event_id: "evt_1", event_type: "shipment.created", created_at: "2026-07-02T00:00:00.000Z", data: { note: "ünïcode" } }));
    const headers = signatureHeaders(secret, "evt_1", Math.floor(Date.now() / 1000), body);
    const lower = { "webhook-id": headers["webhook-id"], "webhook-timestamp": headers["webhook-timestamp"], "webhook-signature": headers["webhook-signature"] };

    expect(verifyHubSignature(secret, body, headers["X-Webhook-Signature"])).toBe(true);
    expect(verifyStandardWebhook(secret, body, lower)).toBe(true);
    const tampered = Buffer.concat([body, Buffer.from("\n")]);
    expect(verifyHubSignature(secret, tampered, headers["X-Webhook-Signature"])).toBe(false);
    expect(verifyStandardWebhook(secret, tampered, lower)).toBe(false);
    const stale = signatureHeaders(secret, "evt_1", Math.floor(Date.now() / 1000) - 3600, body);
    expect(verifyHubSignature(secret, body, stale["X-Webhook-Signature"])).toBe(false);
    expect(verifyStandardWebhook(generateSigningSecret(), body, lower)).toBe(false);
  });

  it("shows the same verification code in the README", () => {
    expect(readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8")).toContain(VERIFY_SNIPPET);
  });
});
