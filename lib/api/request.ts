import { z } from "zod";
import { ApiError } from "./errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/** `items[1].quantity` from zod's ["items", 1, "quantity"]. */
export function fieldPath(path: readonly PropertyKey[]): string | undefined {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || undefined;
}

function firstIssue(error: z.ZodError): { field?: string; message: string } {
  const issue = error.issues[0];
  let path = issue.path;
  // An unknown key is reported on its parent; name the key itself.
  if (issue.code === "unrecognized_keys" && issue.keys.length) path = [...path, issue.keys[0]];
  const field = fieldPath(path);
  const message = issue.code === "unrecognized_keys" ? `Unknown field '${issue.keys[0]}'.` : issue.message;
  return { field, message: field && !message.includes(field) ? `${field}: ${message}` : message };
}

/** Reads the raw body once, enforcing content type and size before parsing. */
export async function readJsonBody(request: Request): Promise<unknown> {
  requireJsonContentType(request);
  return parseJson(await readLimited(request));
}

function requireJsonContentType(request: Request): void {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new ApiError("unsupported_media_type", "Request bodies must be sent as Content-Type: application/json.");
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
}

/** The body as text, refused past MAX_BODY_BYTES whether or not a Content-Length announced it. */
async function readLimited(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge() {
  return new ApiError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
}

/** Parses and validates a JSON body; the first problem becomes a 422 naming its field. */
export async function parseBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  return validateBody(await readJsonBody(request), schema);
}

/**
 * For commands whose body is optional (sandbox pick, ship, void): no body at all, with or without a content
 * type, means `{}`; a body that is present follows the usual rules (JSON content type, size, valid JSON, schema).
 */
export async function parseOptionalBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const text = await readLimited(request);
  if (!text.trim()) return validateBody({}, schema);
  requireJsonContentType(request);
  return validateBody(parseJson(text), schema);
}

export function validateBody<T extends z.ZodType>(body: unknown, schema: T): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const { field, message } = firstIssue(result.error);
    throw new ApiError("validation_error", message, field);
  }
  return result.data;
}

// Every query schema refuses unknown parameters. Its strict variant is built once per schema: building a zod
// schema compiles it on first parse, which per request cost more than the parse itself.
const strictQueries = new WeakMap<z.ZodObject, z.ZodObject>();

function strictQuery(schema: z.ZodObject): z.ZodObject {
  let strict = strictQueries.get(schema);
  if (!strict) strictQueries.set(schema, (strict = schema.strict()));
  return strict;
}

/**
 * Parses query parameters against a strict object schema. Unknown parameters are refused: a misspelled
 * filter must never silently widen a query.
 */
export function parseQuery<T extends z.ZodObject>(request: Request | URL, schema: T): z.infer<T> {
  const url = request instanceof URL ? request : new URL(request.url);
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in raw) throw new ApiError("invalid_parameter", `Query parameter '${key}' was given more than once.`, key);
    raw[key] = value;
  }
  const result = strictQuery(schema).safeParse(raw);
  if (!result.success) {
    const { field, message } = firstIssue(result.error);
    throw new ApiError("invalid_parameter", message, field);
  }
  return result.data as z.infer<T>;
}
