import type { z } from "zod";
import { ApiError } from "./errors";
import { MAX_BODY_BYTES, validateBody } from "./request";

async function readText(request: Request): Promise<string> {
  if (!request.body) return "";
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
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

/**
 * For commands whose body is optional (sandbox pick, ship, void): no body at all, with or without a content
 * type, means `{}`; a body that is present follows the usual rules (JSON content type, size, valid JSON, schema).
 */
export async function parseOptionalBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const text = await readText(request);
  if (!text.trim()) return validateBody({}, schema);
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new ApiError("unsupported_media_type", "Request bodies must be sent as Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  return validateBody(body, schema);
}
