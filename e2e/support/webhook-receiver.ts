import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests (never a stub of our client): records every request with its
 * raw bytes, answers through a replaceable handler, and can go down and come back on the same port.
 */

export type ReceivedRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary payloads
  body: any;
  at: number;
};

export type ReceiverHandler = (request: ReceivedRequest, response: http.ServerResponse) => unknown;

export type Receiver = {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  respond: (handler: ReceiverHandler) => void;
  /** Answers the next requests with these statuses in turn, then 200. */
  statuses: (...codes: number[]) => void;
  waitForRequests: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>;
  stop: () => Promise<void>;
  restart: () => Promise<void>;
};

const ok: ReceiverHandler = (_request, response) => {
  response.writeHead(200, { "content-type": "text/plain" }).end("ok");
};

export async function startReceiver(handler: ReceiverHandler = ok, port = 0): Promise<Receiver> {
  let current = handler;
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let server: http.Server;

  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const raw = Buffer.concat(chunks);
          let body: unknown = undefined;
          try {
            body = JSON.parse(raw.toString("utf8"));
          } catch {
            body = raw.toString("utf8");
          }
          const received: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, body, at: Date.now() };
          requests.push(received);
          Promise.resolve(current(received, res)).catch(() => res.destroy());
        });
      });
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      server.once("error", reject);
      server.listen(onPort, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });

  const actualPort = await listen(port);
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  return {
    url: `http://127.0.0.1:${actualPort}/hooks`,
    port: actualPort,
    requests,
    respond: (h) => {
      current = h;
    },
    statuses: (...codes) => {
      const queue = [...codes];
      current = (_request, response) => {
        const code = queue.shift() ?? 200;
        response.writeHead(code, { "content-type": "text/plain" }).end(`status ${code}`);
      };
    },
    waitForRequests: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${requests.length} of ${count} requests in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return requests;
    },
    stop,
    restart: async () => {
      await listen(actualPort);
    },
  };
}

/** Verifies X-Webhook-Signature the way a partner would: HMAC-SHA256 keyed with the secret string, over "t.body". */
export function verifyHubSignature(secret: string, request: ReceivedRequest): boolean {
  const header = String(request.headers["x-webhook-signature"] ?? "");
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.`).update(request.raw).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Verifies the Standard Webhooks headers: key = base64-decoded secret after "whsec_", over "id.timestamp.body". */
export function verifyStandardSignature(secret: string, request: ReceivedRequest): boolean {
  const id = String(request.headers["webhook-id"] ?? "");
  const timestamp = String(request.headers["webhook-timestamp"] ?? "");
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(request.raw).digest();
  return String(request.headers["webhook-signature"] ?? "")
    .split(" ")
    .some((candidate) => {
      const [version, signature] = candidate.split(",", 2);
      const given = Buffer.from(signature ?? "", "base64");
      return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
    });
}
