import type { ApiContext } from "@/lib/api/route";
import { ApiError } from "@/lib/api/errors";
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

export function etag(version: string): string {
  return `"${version}"`;
}
