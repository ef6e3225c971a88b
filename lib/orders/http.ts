import { ApiError } from "@/lib/api/errors";
import { idempotencyKeySchema } from "./schema";

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
