import type { ApiContext } from "@/lib/api/route";
import { ApiError } from "@/lib/api/errors";
import { parseBody } from "@/lib/api/request";
import type { z } from "@/lib/api/zod";
import type { DomainContext } from "@/lib/context";
import { idempotencyKeySchema } from "./schema";

/** The API caller as the domain sees it: the key is the actor. */
export function apiDomainContext(ctx: ApiContext): DomainContext {
  return { accountId: ctx.accountId, environment: ctx.environment, source: "api", actor: ctx.keyId, requestId: ctx.requestId };
}

export function idempotencyKeyOf(request: Request): string | undefined {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return undefined;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw new ApiError("validation_error", `Idempotency-Key ${parsed.error.issues[0].message}.`, "Idempotency-Key");
  return parsed.data;
}

/** A body that may be left out entirely (POST …/cancel): no content type and no length means none. */
export async function parseOptionalBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T> | undefined> {
  const length = request.headers.get("content-length");
  if (!request.headers.get("content-type") && (length === null || length === "0")) return undefined;
  return parseBody(request, schema);
}

export function etag(version: string): string {
  return `"${version}"`;
}
