import { getDb } from "@/db/client";
import { authenticateKey, type Authenticated, type KeyRole } from "@/lib/auth/api-keys";
import type { DomainContext, Source } from "@/lib/context";
import { DomainError } from "@/lib/errors";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { ApiError, apiErrorOf } from "./errors";
import { COMMITTED_PRESENT, listRead } from "./pagination";
import { drainUnreadBody, unstorable } from "./request";
import { errorResponse, json, listJson } from "./respond";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * What a handler receives: the domain context the key stands for, ready to hand to any domain function (tenant,
 * the system acting, the key as actor), and the key itself.
 */
export type ApiContext = DomainContext & {
  role: KeyRole;
  keyId: string;
  requestId: string;
  /** Set on routes that list changes (`feed`): a feed's commit-safe horizon, read with the authentication, or a lookup's COMMITTED_PRESENT. */
  horizon?: string;
};

type Handler<P> = (args: { request: Request; ctx: ApiContext; params: P }) => Promise<Response>;
type PublicHandler<P> = (args: { request: Request; requestId: string; params: P }) => Promise<Response>;

export type RouteOptions = {
  /** The key role the route needs (default partner). */
  role?: KeyRole;
  /** Sandbox simulation endpoints: live keys get 403 sandbox_only. */
  sandboxOnly?: boolean;
  /**
   * The route lists changes. A feed read (listRead) has the statement that authenticates read the horizon too (one
   * round trip fewer); a lookup reads the committed present and reads no horizon.
   */
  feed?: boolean;
};

function requestIdOf(request: Request): string {
  const incoming = request.headers.get("x-request-id");
  return incoming && REQUEST_ID.test(incoming) ? incoming : newId("req");
}

/** A partner's key is the API, a warehouse's key its WMS; a sandbox simulation acts as the warehouse would. */
function sourceOf(role: KeyRole, options: RouteOptions): Source {
  if (options.sandboxOnly) return "sandbox";
  return role === "warehouse" ? "wms" : "api";
}

function rateHeaders(rate: Authenticated["rate"]): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(rate.limit),
    "X-RateLimit-Remaining": String(Math.max(0, rate.limit - rate.count)),
    "X-RateLimit-Reset": String(rate.resetAt),
  };
}

async function authenticate(request: Request, withHorizon: boolean): Promise<Authenticated> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError("unauthorized", "Send your API key as 'Authorization: Bearer <key>'.");
  const auth = await authenticateKey(getDb(), match[1], env().API_RATE_LIMIT_PER_MINUTE, { withHorizon });
  if (!auth) throw new ApiError("unauthorized", "The API key is unknown or has been revoked.");
  return auth;
}

async function finish(response: Response, request: Request, requestId: string, extra: Record<string, string>): Promise<Response> {
  response.headers.set("X-Request-Id", requestId);
  for (const [name, value] of Object.entries(extra)) response.headers.set(name, value);
  // Next passes the header on and Node then closes the socket after the answer, rest of the body unread.
  if (!(await drainUnreadBody(request))) response.headers.set("Connection", "close");
  return response;
}

function failure(error: unknown, requestId: string, request: Request): Response {
  if (error instanceof ApiError) return errorResponse(error, requestId);
  if (error instanceof DomainError) return errorResponse(apiErrorOf(error), requestId);
  // Never echo an unexpected error to the client: log it with the request id and answer the generic envelope.
  console.error(`[${requestId}] ${request.method} ${new URL(request.url).pathname} failed`, error);
  return errorResponse(new ApiError("internal_error", "Something went wrong on our side. Quote the request_id to support."), requestId);
}

/** The route's path parameters, awaited and checked like every other string from outside (`/v1/orders/%00`). */
async function pathParams<P>(context?: { params: Promise<P> }): Promise<P> {
  if (!context) return {} as P;
  const params = await context.params;
  for (const [name, value] of Object.entries(params ?? {})) {
    for (const segment of Array.isArray(value) ? value : [value]) {
      const problem = typeof segment === "string" ? unstorable(segment) : null;
      if (problem) throw new ApiError("invalid_parameter", `The path parameter '${name}' must not contain ${problem}.`, name);
    }
  }
  return params;
}

/** The one wrapper of every authenticated /v1 handler: request id, auth, rate limit, awaited params, error mapping. */
export function apiRoute<P = Record<string, never>>(options: RouteOptions, handler: Handler<P>) {
  return async (request: Request, context?: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(request);
    let headers: Record<string, string> = {};
    try {
      const read = options.feed ? listRead(new URL(request.url).searchParams) : undefined;
      const auth = await authenticate(request, read === "feed");
      headers = rateHeaders(auth.rate);
      if (auth.rate.count > auth.rate.limit) {
        const retryAfter = Math.max(1, auth.rate.resetAt - Math.floor(Date.now() / 1000));
        throw new ApiError("rate_limited", `Rate limit of ${auth.rate.limit} requests per minute exceeded.`, undefined, {}, { "Retry-After": String(retryAfter) });
      }
      if ((options.role ?? "partner") !== auth.role) {
        throw new ApiError("forbidden", `This endpoint needs a ${options.role ?? "partner"} key.`);
      }
      if (options.sandboxOnly && auth.environment !== "sandbox") {
        throw new ApiError("sandbox_only", "Sandbox simulation endpoints accept only wms_test_ keys.");
      }
      const params = await pathParams(context);
      const ctx: ApiContext = {
        accountId: auth.accountId,
        environment: auth.environment,
        source: sourceOf(auth.role, options),
        actor: auth.keyId,
        role: auth.role,
        keyId: auth.keyId,
        requestId,
        horizon: read === "lookup" ? COMMITTED_PRESENT : auth.horizon,
      };
      return finish(await handler({ request, ctx, params }), request, requestId, headers);
    } catch (error) {
      return finish(failure(error, requestId, request), request, requestId, headers);
    }
  };
}

/** Wrapper for unauthenticated routes (the OpenAPI document, fallbacks): request id and error mapping only. */
export function publicRoute<P = Record<string, never>>(handler: PublicHandler<P>) {
  return async (request: Request, context?: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdOf(request);
    try {
      const params = await pathParams(context);
      return finish(await handler({ request, requestId, params }), request, requestId, {});
    } catch (error) {
      return finish(failure(error, requestId, request), request, requestId, {});
    }
  };
}

/** Handlers for the methods a route does not serve: 405 with Allow and the envelope. */
export function methodsNotAllowed(allowed: string[]) {
  // unknown params: the same handlers serve routes with and without dynamic segments.
  const handler = publicRoute<unknown>(async ({ request }) => {
    throw new ApiError("method_not_allowed", `${request.method} is not allowed here; use ${allowed.join(", ")}.`, undefined, {}, { Allow: allowed.join(", ") });
  });
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

export { json, listJson };
