import { createHmac, randomBytes } from "node:crypto";

/**
 * Signing secrets are "whsec_" + base64 of 32 random bytes. Two schemes sign every delivery over the exact bytes
 * sent: our own `X-Webhook-Signature` (HMAC keyed with the whole secret string as shown) and Standard Webhooks
 * (`webhook-signature`, HMAC keyed with the decoded bytes after "whsec_"), so partners can use either.
 */

export const SECRET_PREFIX = "whsec_";

export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

export type SignedHeaders = {
  "X-Webhook-Id": string;
  "X-Webhook-Signature": string;
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** The headers that sign `body` (the exact bytes to send) for event `eventId` at unix time `timestamp`. */
export function signatureHeaders(secret: string, eventId: string, timestamp: number, body: Buffer): SignedHeaders {
  const t = String(timestamp);
  const v1 = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${t}.`).update(body).digest("hex");
  const standardKey = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  const standard = createHmac("sha256", standardKey).update(`${eventId}.${t}.`).update(body).digest("base64");
  return {
    "X-Webhook-Id": eventId,
    "X-Webhook-Signature": `t=${t},v1=${v1}`,
    "webhook-id": eventId,
    "webhook-timestamp": t,
    "webhook-signature": `v1,${standard}`,
  };
}
