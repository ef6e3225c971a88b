import { describe, expect, it } from "vitest";
import { createSku, createTenant } from "@/e2e/support/factories";
import { orderFootprint } from "@/e2e/support/footprints";
import { orderBody } from "@/e2e/support/orders";
import { DRAIN_BYTES, MAX_BODY_BYTES } from "@/lib/api/request";
import * as orders from "./orders/route";
import * as webhookOne from "./webhooks/[id]/route";

/**
 * An answer given before the request body was read to its end (401, 415, the early 413) must not leave the rest on
 * the keep-alive socket, where the client's next request on it dies with ECONNRESET when the server times the
 * socket out: the rest is read and thrown away within DRAIN_BYTES, and past that the answer closes the connection.
 * Over real sockets: e2e/api/errors.spec.ts.
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

describe("answers given before the body is read leave the socket clean", () => {
  it("a chunked body over the limit: 413, the rest thrown away so the connection stays, nothing written", async () => {
    const t = await tenant();
    const before = await orderFootprint(t);
    const { stream, pulled } = chunkedBody(2 * 1024 * 1024);
    const res = await orders.POST(post(t.key, stream));
    expect([res.status, (await res.json()).error.code]).toEqual([413, "payload_too_large"]);
    expect(res.headers.get("connection")).toBeNull();
    expect(pulled.bytes).toBe(2 * 1024 * 1024);
    expect(await orderFootprint(t)).toEqual(before);
  });

  it("a chunked body past the limit and the drain: 413 with Connection: close, read no further than both", async () => {
    const t = await tenant();
    const { stream, pulled } = chunkedBody(50 * 1024 * 1024);
    const res = await orders.POST(post(t.key, stream));
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    // One chunk crosses the limit, one crosses the drain, one more the stream pulled ahead.
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + DRAIN_BYTES + 3 * CHUNK);
  });

  it("a missing key, a body that is not JSON by its type, a Content-Length over the limit: the body is thrown away", async () => {
    const t = await tenant();
    const body = JSON.stringify(orderBody(t));
    const cases: [Request, number][] = [
      [post(null, body), 401],
      [post(t.key, body, { "content-type": "text/plain" }), 415],
      [post(t.key, "x".repeat(MAX_BODY_BYTES + 1)), 413],
    ];
    for (const [request, status] of cases) {
      const res = await orders.POST(request);
      expect(res.status).toBe(status);
      expect(request.bodyUsed, String(status)).toBe(true);
      expect(res.headers.get("connection"), String(status)).toBeNull();
    }
  });

  it("a Content-Length past the drain is not read at all: the answer closes the connection", async () => {
    const t = await tenant();
    const request = post(t.key, "{}", { "content-length": String(DRAIN_BYTES + 1) });
    const res = await orders.POST(request);
    expect(res.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
    expect(res.headers.get("connection")).toBe("close");
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
  });

  it("a route that reads no body throws away one sent anyway", async () => {
    const t = await tenant();
    const request = new Request("http://hub.test/v1/webhooks/whk_x", { method: "DELETE", headers: { authorization: `Bearer ${t.key}`, "content-length": "2" }, body: "{}" });
    const res = await webhookOne.DELETE(request, { params: Promise.resolve({ id: "whk_x" }) });
    expect(res.status).toBe(404);
    expect(request.bodyUsed).toBe(true);
    expect(res.headers.get("connection")).toBeNull();
  });
});
