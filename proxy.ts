import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/**
 * An optimistic redirect only: a dashboard page requested without any session cookie goes to the login form,
 * remembering where the user was headed. Whether the session is valid, and what the user may see, is checked by
 * each page next to its data (requireUser); the API (/v1), auth and channel routes never pass through here.
 */
export function proxy(request: NextRequest) {
  const hasSession = request.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") login.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!v1/|v1$|api/|channels/|bench/|_next/|login|favicon\\.ico|robots\\.txt|.*\\.[a-z0-9]+$).*)"],
};
