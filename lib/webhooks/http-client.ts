import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { BlockedAddressError, checkedLookup, hostOf, isPublicAddress } from "./url-policy";

/** What one POST to a receiver came to. `statusCode` is absent when no HTTP answer arrived. */
export type PostResult = {
  statusCode?: number;
  /** The first MAX_RESPONSE_BYTES of the answer. */
  responseBody?: string;
  retryAfter?: string;
  location?: string;
  /** Why no answer arrived (timeout, refused, reset, blocked address). */
  error?: string;
  durationMs: number;
};

export const MAX_RESPONSE_BYTES = 2048;
export const USER_AGENT = "FulfillmentHub-Webhooks/1.0";

function describe(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error instanceof BlockedAddressError) return `blocked: ${error.message}`;
  switch (error.code) {
    case "ETIMEDOUT_WEBHOOK":
      return `timed out after ${timeoutMs} ms`;
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset by the receiver";
    case "ENOTFOUND":
      return "host not found";
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}

/**
 * POSTs the exact bytes given. Redirects are never followed (a 3xx is a failed attempt: following one could lead
 * anywhere, past the address check), the whole exchange is bounded by `timeoutMs`, and every connection is new
 * and goes to an address checked for this attempt.
 */
export function postWebhook(
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  options: { timeoutMs: number; requirePublic: boolean },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const host = hostOf(url);
  if (options.requirePublic && isIP(host) && !isPublicAddress(host)) {
    return Promise.resolve({ error: `blocked: ${new BlockedAddressError(host, host).message}`, durationMs: 0 });
  }
  return new Promise((resolve) => {
    let settled = false;
    let answer: Omit<PostResult, "durationMs"> | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const withBody = () => ({
      ...answer,
      // PostgreSQL text cannot hold NUL; everything else of the receiver's answer is kept as sent.
      responseBody: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8").replace(/\u0000/g, ""),
    });

    const request = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: "POST",
        agent: false,
        lookup: checkedLookup(options.requirePublic),
        headers: { ...headers, "content-type": "application/json", "content-length": String(body.length), "user-agent": USER_AGENT },
      },
      (response) => {
        const header = (name: string) => {
          const value = response.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        answer = { statusCode: response.statusCode, retryAfter: header("retry-after"), location: header("location") };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // Enough to show in the log; the rest is not read (a receiver may answer with megabytes).
          if (size >= MAX_RESPONSE_BYTES) {
            finish(withBody());
            response.destroy();
          }
        });
        response.on("end", () => finish(withBody()));
        response.on("error", () => finish(withBody()));
        response.on("close", () => finish(withBody()));
      },
    );
    const timer = setTimeout(() => {
      // Headers already in: the status decides; a body still trickling in is not waited for.
      if (answer) finish(withBody());
      else {
        const error: NodeJS.ErrnoException = new Error("timeout");
        error.code = "ETIMEDOUT_WEBHOOK";
        finish({ error: describe(error, options.timeoutMs) });
      }
      request.destroy();
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => finish(answer ? withBody() : { error: describe(error, options.timeoutMs) }));
    request.end(body);
  });
}
