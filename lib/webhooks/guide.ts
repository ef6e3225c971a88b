/**
 * The partner-facing explanation of webhooks, used in the OpenAPI document (and mirrored in the README's
 * "Webhooks" section). Kept in one place so the two cannot drift apart silently.
 */

export const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from "node:crypto";

const TOLERANCE_SECONDS = 300; // reject old deliveries: stops replays

// Scheme 1 — X-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// key: the whole secret string as shown ("whsec_…", UTF-8); signed: "<t>.<raw body>"
export function verifyHubSignature(secret, rawBody, header) {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=", 2)));
  if (!parts.t || !parts.v1 || Math.abs(Date.now() / 1000 - Number(parts.t)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(\`\${parts.t}.\`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Scheme 2 — Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature: v1,<base64>
// key: the base64-decoded part after "whsec_"; signed: "<webhook-id>.<webhook-timestamp>.<raw body>"
export function verifyStandardWebhook(secret, rawBody, headers) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  if (!id || !timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(\`\${id}.\${timestamp}.\`).update(rawBody).digest();
  return String(headers["webhook-signature"] ?? "").split(" ").some((candidate) => {
    const [version, signature] = candidate.split(",", 2);
    const given = Buffer.from(signature ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

// rawBody is the request body exactly as received (a Buffer), never re-serialized JSON:
// express.raw({ type: "application/json" }), or await request.arrayBuffer() in a fetch-style handler.`;

export const WEBHOOKS_GUIDE = `Webhooks push events to your endpoint as they happen. They are an optimisation on top of polling, never a
replacement: keep polling \`updated_since\` (less often) as the safety net.

**Subscribing.** \`POST /v1/webhooks {url, events[]}\` returns the subscription with its signing \`secret\` (\`whsec_\` +
base64 of 32 random bytes) — the only time it is shown. Subscriptions belong to your account and the key's environment.
Subscriptions must target public addresses, in the sandbox as in live (not private, loopback or link-local; the host is
resolved and every address checked, at subscription time and again at every delivery); to receive sandbox events on
your laptop, subscribe a public tunnel to it.

**Events.** \`shipment.created\`, \`shipment.updated\`, \`order.cancelled\`, \`order.updated\`, \`inventory.updated\`,
\`inbound.received\`, \`inventory.adjusted\`, \`return.received\`. An operator may also send you \`webhook.test\` (a
connectivity check) whatever you subscribed to; ignore types you do not know.

**Delivery.** \`POST <url>\` with \`Content-Type: application/json\` and the body
\`{event_id, event_type, created_at, data}\`; \`data\` is the full resource exactly as the API returned it when the change
was committed (the event is written in the same transaction as the change). Headers:
\`X-Webhook-Id\` and \`webhook-id\` (= \`event_id\`), \`X-Webhook-Signature: t=<unix>,v1=<hex>\`, and the Standard Webhooks
\`webhook-timestamp\` and \`webhook-signature: v1,<base64>\`. Both signatures cover the exact bytes sent.

**Answering.** Any 2xx within 10 seconds is success; answer fast and process afterwards. Anything else — another status,
a timeout, a refused or reset connection, a redirect (never followed) — is retried with the same \`event_id\`: after 10 s,
1 min, 5 min, 30 min, then hourly until 24 h after the first attempt; then the delivery is dead (operations can replay
it, again with the same \`event_id\`). \`429\` or \`503\` with \`Retry-After\` (seconds or an HTTP date, honoured up to
one hour) sets the time of the next attempt. \`410 Gone\` disables the subscription at once, and so do 24 hours of
nothing but failures; operations re-enable it once you are ready.

**Deduplicate and expect any order.** Delivery is at least once: store the \`event_id\`s you have processed. Deliveries to
one endpoint are attempted oldest first, but a failed delivery waiting for its retry does not hold back newer ones, so
events can arrive out of order: treat each as "this is the latest state of the resource as of \`created_at\`" and compare
\`data.updated_at\` with what you hold.

**Verifying** (Node; any Standard Webhooks library works for the second scheme, e.g. \`new Webhook(secret).verify(rawBody, headers)\`
from the \`standardwebhooks\` package):

\`\`\`js
${VERIFY_SNIPPET}
\`\`\``;
