import type { ApiContext } from "@/lib/api/route";
import type { DomainContext } from "@/lib/context";

/** A sandbox simulation acts as the warehouse would, attributed to the key that asked for it. */
export function sandboxContext(ctx: ApiContext): DomainContext {
  return { accountId: ctx.accountId, environment: ctx.environment, source: "sandbox", actor: ctx.keyId, requestId: ctx.requestId };
}
