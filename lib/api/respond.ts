import { ApiError } from "./errors";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function errorResponse(error: ApiError, requestId: string): Response {
  return json(
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...error.extra, request_id: requestId } },
    error.status,
    error.headers,
  );
}
