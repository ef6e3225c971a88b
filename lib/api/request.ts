import { z } from "zod";
import { truncate, ValidationError } from "@/lib/errors";
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
  return parseJson(decodeUtf8(await readBodyBytes(request)));
}

function requireJsonContentType(request: Request): void {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new ApiError("unsupported_media_type", "Request bodies must be sent as Content-Type: application/json.");
  }
}

// Fatal: bytes that are not UTF-8 are refused, never turned into U+FFFD. The BOM is kept, so JSON.parse refuses it as before.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A body's bytes as text, exactly: JSON is UTF-8 (RFC 8259), and a body that is not is not JSON. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  }
}

function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  // Raw NUL is not valid JSON and the decoder refused lone surrogates: only a \u escape can bring either in.
  const found = text.includes("\\u") ? findUnstorable(value) : null;
  if (found) throw new ApiError("validation_error", found.message, found.field);
  return value;
}

/**
 * What in a string PostgreSQL could not keep exactly as sent, or null: it stores no NUL character (in text or
 * jsonb), and the driver encodes half a UTF-16 surrogate pair as U+FFFD. The one check every string from outside
 * (path, query, body) goes through, so partner data is refused with its field named rather than altered.
 */
export function unstorable(value: string): string | null {
  if (value.includes("\u0000")) return "a NUL character (\\u0000)";
  if (!value.isWellFormed()) return "an unpaired UTF-16 surrogate (\\ud800-\\udfff without its pair)";
  return null;
}

type Found = { field?: string; message: string };
type Visit = { value: unknown; key?: string | number; parent?: Visit };

function pathOf(visit: Visit | undefined): string | undefined {
  const keys: (string | number)[] = [];
  for (let v = visit; v && v.key !== undefined; v = v.parent) keys.unshift(v.key);
  return fieldPath(keys);
}

/**
 * The first string in a parsed JSON value, key or value, that could not be stored exactly, with its JSON path.
 * Iterative: a deeply nested body must not overflow the stack.
 */
export function findUnstorable(root: unknown): Found | null {
  const stack: Visit[] = [{ value: root }];
  while (stack.length) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === "string") {
      const problem = unstorable(value);
      if (problem) {
        const field = pathOf(visit);
        return { field, message: `${field ?? "The body"} must not contain ${problem}.` };
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: visit });
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        const problem = unstorable(key);
        if (problem) {
          const field = pathOf(visit);
          return { field, message: `Field names${field ? ` in ${field}` : ""} must not contain ${problem}.` };
        }
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], key: entries[i][0], parent: visit });
    }
  }
  return null;
}

// Requests whose body was read (or thrown away) to its end: the socket holds nothing more of them.
const bodiesRead = new WeakSet<Request>();

/**
 * How much of a body that is refused, or never needed, is read and thrown away after the answer is decided, so the
 * keep-alive socket is clean for the client's next request. Past it the answer closes the connection instead.
 */
export const DRAIN_BYTES = 4 * 1024 * 1024;

function bodyLeftUnread(request: Request): boolean {
  if (!request.body || bodiesRead.has(request)) return false;
  const length = request.headers.get("content-length");
  return length === null ? request.headers.has("transfer-encoding") : Number(length) !== 0;
}

/** Reads and throws away the rest of a body, up to DRAIN_BYTES: true when it ended within that. Never throws. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      discarded += value.byteLength;
      if (discarded > DRAIN_BYTES) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    // The client went away mid-body: there is no socket left to keep.
    return false;
  }
}

/**
 * For an answer given before the body was read to its end (401, 415, the early 413, a route that reads no body):
 * whether the connection can stay open. Node would leave the unread bytes on the keep-alive socket, where the
 * client's next request waits behind them until the server times the socket out and the client sees ECONNRESET.
 * So the rest is thrown away when it is within DRAIN_BYTES (the socket is clean); when more is left or announced,
 * false: the answer must close the connection (closing at once instead could reset the socket while the client is
 * still sending, before it has read the answer).
 */
export async function drainUnreadBody(request: Request): Promise<boolean> {
  if (!bodyLeftUnread(request)) return true;
  // A reader stopped part-way (a body over its limit and over DRAIN_BYTES): nothing more can be read from it.
  if (request.bodyUsed) return false;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > DRAIN_BYTES) return false;
  if (!(await discardRest(request.body!.getReader()))) return false;
  bodiesRead.add(request);
  return true;
}

/**
 * The one reader of request bodies: the bytes, refused (413 payload_too_large) past `maxBytes` whether or not a
 * Content-Length announced them, so a chunked body is never held in memory beyond the limit. Callers with larger
 * bodies (the SKU map CSV) pass their own limit.
 */
export async function readBodyBytes(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Kept no further: the rest is thrown away within DRAIN_BYTES (see drainUnreadBody), else left for the close.
      if (await discardRest(reader)) bodiesRead.add(request);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  bodiesRead.add(request);
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number) {
  return new ApiError("payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);
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
  const text = decodeUtf8(await readBodyBytes(request));
  if (!text.trim()) return validateBody({}, schema);
  requireJsonContentType(request);
  return validateBody(parseJson(text), schema);
}

/** Checks a value against a schema; the first problem is a domain ValidationError naming its field (verbs check their own input with it too). */
export function validateBody<T extends z.ZodType>(body: unknown, schema: T): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const { field, message } = firstIssue(result.error);
    throw new ValidationError(message, field);
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

// Next re-encodes a query whose escapes are not UTF-8 before a route sees it, with U+FFFD in their place: that
// character is the only trace left of them, and no filter, id or cursor has a use for it.
const REPLACEMENT = "\ufffd";

/**
 * One query component decoded as URLSearchParams decodes it ('+' is a space, a '%' that starts no escape is
 * kept), except that escapes which are not UTF-8 give null instead of U+FFFD: a filter is never silently
 * changed into another one.
 */
function decodeQueryComponent(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " ").replace(/%(?![0-9A-Fa-f]{2})/g, "%25"));
  } catch {
    return null;
  }
}

/** The query's parameters, each name and value checked like every other string from outside. */
function queryParameters(search: string): [string, string][] {
  const out: [string, string][] = [];
  for (const pair of search.replace(/^\?/, "").split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const rawKey = at < 0 ? pair : pair.slice(0, at);
    const key = decodeQueryComponent(rawKey);
    if (key === null || key.includes(REPLACEMENT) || unstorable(key)) {
      throw new ApiError("invalid_parameter", `The query parameter name '${truncate(rawKey)}' is not UTF-8 text without NUL.`, truncate(rawKey));
    }
    const value = decodeQueryComponent(at < 0 ? "" : pair.slice(at + 1));
    if (value === null || value.includes(REPLACEMENT)) throw new ApiError("invalid_parameter", `Query parameter '${key}' is not valid percent-encoded UTF-8.`, key);
    const problem = unstorable(value);
    if (problem) throw new ApiError("invalid_parameter", `Query parameter '${key}' must not contain ${problem}.`, key);
    out.push([key, value]);
  }
  return out;
}

/**
 * Parses query parameters against a strict object schema. Unknown parameters are refused: a misspelled
 * filter must never silently widen a query.
 */
export function parseQuery<T extends z.ZodObject>(request: Request | URL, schema: T): z.infer<T> {
  const url = request instanceof URL ? request : new URL(request.url);
  const raw: Record<string, string> = {};
  for (const [key, value] of queryParameters(url.search)) {
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

const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "must be 1–255 printable ASCII characters without spaces");

/** The request's Idempotency-Key header, checked; undefined when the client sent none. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return undefined;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw new ApiError("validation_error", `Idempotency-Key ${parsed.error.issues[0].message}.`, "Idempotency-Key");
  return parsed.data;
}
