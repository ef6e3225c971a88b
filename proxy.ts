import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, isCrossSiteWrite, newNonce } from "@/lib/dashboard/browser-security";
import { ApiError } from "@/lib/api/errors";
import { errorResponse } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/**
 * Every dashboard page request, the login form included, passes through here:
 * - a write posted from another site (a server action with a foreign Origin) is refused with 403, before Next.js
 *   would refuse it with a 500;
 * - each page gets a Content-Security-Policy with a fresh nonce, set on the request too, where Next.js reads the
 *   nonce to put on its scripts;
 * - an optimistic redirect: a page requested without any session cookie goes to the login form, remembering where
 *   the user was headed. Whether the session is valid, and what the user may see, is checked by each page next to
 *   its data (requireUser).
 * The API (/v1), auth and channel routes and the SKU-map import never pass through here, but for an API path whose
 * escapes Next.js cannot decode.
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/v1/")) return refuseUndecodablePath(request);
  if (isCrossSiteWrite(request.method, request.headers)) {
    return new NextResponse("Cross-site request refused: it was not sent from this site's pages.\n", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const { pathname, search } = request.nextUrl;
  const hasSession = request.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (!hasSession && pathname !== "/login") {
    const login = new URL("/login", request.url);
    const target = `${pathname}${search}`;
    if (target !== "/") login.searchParams.set("callbackUrl", target);
    return NextResponse.redirect(login);
  }
  const policy = contentSecurityPolicy(newNonce(), { development: env().NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

/**
 * An API path whose escapes are not UTF-8 (`/v1/orders/%FF`): Next.js cannot decode its parameters and answers a
 * plain-text 500 before any route runs, so it is refused here with the API's envelope. Only such paths reach the
 * proxy (see the matcher): API requests otherwise never pass through it.
 */
function refuseUndecodablePath(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    const requestId = newId("req");
    const response = errorResponse(new ApiError("invalid_parameter", "The path holds a %-escape that is not UTF-8 text.", "path"), requestId);
    response.headers.set("X-Request-Id", requestId);
    return response;
  }
}

export const config = {
  // The SKU-map import is left out: behind a proxy Next.js buffers a request body before the route sees it (and
  // passes on at most 10 MB), so an upload would be read whole before the route's own bounded reader. The route
  // checks the origin itself.
  matcher: [
    "/v1/:path(.*%.*)",
    "/((?!v1/|v1$|api/|channels/|bench/|_next/|sku-map/import$|favicon\\.ico|robots\\.txt|.*\\.[a-z0-9]+$).*)",
  ],
};
