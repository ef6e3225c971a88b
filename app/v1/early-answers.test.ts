import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "@/lib/api/request";
import { footprint, orderBody } from "@/lib/orders/testing";
import { createSku, createTenant } from "@/lib/testing/factories";
import * as orders from "./orders/route";
import * as webhookOne from "./webhooks/[id]/route";

/**
 * An answer given before the request body was read to its end (401, 415, the early 413) must close the
 * connection: otherwise the unread rest stays on the keep-alive socket and the client's next request on it dies
 * with ECONNRESET when the server times the socket out. Over real sockets: e2e/api/errors.spec.ts.
 */

const CHUNK = 64 * 1024;

/** A chunked body (no Content-Length) of `total` bytes, counting what the server pulled. */
function chunkedBody(total: number) {
  const pulled = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close();
      pulled.bytes += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
    },
  });
  return { stream, pulled };
}

/** As Next hands a request over: the framing headers that came on the wire (fetch only adds them when sending). */
function post(key: string | null, body: BodyInit, headers: Record<string, string> = {}): Request {
  const framing: Record<string, string> = typeof body === "string" ? { "content-length": String(Buffer.byteLength(body)) } : { "transfer-encoding": "chunked" };
  return new Request("http://hub.test/v1/orders", {
    method: "POST",
    headers: { "content-type": "application/json", ...framing, ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

async function tenant() {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
  return t;
}

describe("answers given before the body is read close the connection", () => {
  it("a chunked body over the limit: 413 with Connection: close, read no further than the limit, nothing written", async () => {
    const t = await tenant();
    const before = await footprint(t);
    const { stream, pulled } = chunkedBody(2 * 1024 * 1024);
    const res = await orders.POST(post(t.key, stream));
    expect([res.status, (await res.json()).error.code]).toEqual([413, "payload_too_large"]);
    expect(res.headers.get("connection")).toBe("close");
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
    expect(await footprint(t)).toEqual(before);
  });

  it("a Content-Length over the limit, a missing key, a body that is not JSON by its type: each closes", async () => {
    const t = await tenant();
    const body = JSON.stringify(orderBody(t));
    const cases: [Request, number][] = [
      [post(t.key, "x".repeat(16), { "content-length": String(MAX_BODY_BYTES + 1) }), 413],
      [post(null, body), 401],
      [post(t.key, body, { "content-type": "text/plain" }), 415],
    ];
    for (const [request, status] of cases) {
      const res = await orders.POST(request);
      expect(res.status).toBe(status);
      expect(res.headers.get("connection"), String(status)).toBe("close");
    }
  });

  it("an answer after the body was read keeps the connection, and so does a request without a body", async () => {
    const t = await tenant();
    const created = await orders.POST(post(t.key, JSON.stringify(orderBody(t))));
    expect(created.status).toBe(201);
    expect(created.headers.get("connection")).toBeNull();
    const invalid = await orders.POST(post(t.key, JSON.stringify(orderBody(t, { items: [] }))));
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("connection")).toBeNull();
    const read = await orders.GET(new Request("http://hub.test/v1/orders", { headers: { authorization: `Bearer ${t.key}` } }));
    expect(read.status).toBe(200);
    expect(read.headers.get("connection")).toBeNull();
    const none = new Request("http://hub.test/v1/webhooks/whk_x", { method: "DELETE", headers: { authorization: `Bearer ${t.key}` }, body: "" });
    const deleted = await webhookOne.DELETE(none, { params: Promise.resolve({ id: "whk_x" }) });
    expect(deleted.status).toBe(404);
    expect(deleted.headers.get("connection")).toBeNull();
  });

  it("a route that never reads bodies closes when one is sent anyway", async () => {
    const t = await tenant();
    const request = new Request("http://hub.test/v1/webhooks/whk_x", { method: "DELETE", headers: { authorization: `Bearer ${t.key}`, "content-length": "2" }, body: "{}" });
    const res = await webhookOne.DELETE(request, { params: Promise.resolve({ id: "whk_x" }) });
    expect(res.status).toBe(404);
    expect(res.headers.get("connection")).toBe("close");
  });
});
