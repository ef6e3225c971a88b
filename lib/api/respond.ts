import { ApiError } from "./errors";
import type { Pagination } from "./pagination";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonText(JSON.stringify(body), status, headers);
}

/** A body that is JSON text already, with the same headers as json(). */
export function jsonText(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * The list envelope around a data array that PostgreSQL rendered as JSON text: the rows are never decoded into
 * objects and serialized again in Node, which is most of a large page's CPU.
 */
export function listJson(dataJson: string, pagination: Pagination): Response {
  return jsonText(`{"data":${dataJson},"pagination":${JSON.stringify(pagination)}}`);
}

/** A resource version as an ETag header value. */
export function etag(version: string): string {
  return `"${version}"`;
}

export function errorResponse(error: ApiError, requestId: string): Response {
  return json(
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...error.extra, request_id: requestId } },
    error.status,
    error.headers,
  );
}
