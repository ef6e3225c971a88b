import { onPostgres } from "./env";
import { settleHorizon } from "./horizon";

export type CallOptions = {
  method?: string;
  key?: string;
  body?: unknown;
  /** Sent as-is, for malformed-body tests. */
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  /**
   * GETs first wait for the commit-safe horizon to pass what is already committed (PostgreSQL only, see
   * settleHorizon). false: a test that holds a transaction open on purpose and reads past it.
   */
  settle?: boolean;
};

/**
 * Calls a route handler exactly as Next.js does (a Request in, a Response out) against the real database.
 * Returns the status, headers and parsed JSON body.
 */
/** Any route handler, whatever its params type (Promise<never> is assignable to every Promise<P>). */
export type RouteHandler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export async function call(handler: RouteHandler, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  if (method === "GET" && options.settle !== false && onPostgres) await settleHorizon();
  const request = new Request(`http://hub.test${path}`, { method, headers, body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) as Promise<never> });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
  return { status: response.status, headers: response.headers, body: json as any };
}
