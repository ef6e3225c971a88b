/**
 * What the dashboard tells browsers about itself (proxy.ts applies it to every page; next.config.ts adds the headers
 * that are the same for every response, the API's included).
 */

/**
 * The dashboard's Content-Security-Policy for one page response. Scripts run only from this app and only when they
 * carry this response's nonce (Next.js puts it on its own scripts when it finds the policy on the request), and
 * whatever those load ('strict-dynamic'). Stylesheets come from the app or carry the nonce; style attributes stay
 * allowed because React renders them on the server (charts size themselves with them) and an attribute cannot
 * carry a nonce. No plugins, no framing by other sites, forms post only here.
 * Development adds 'unsafe-eval', which React uses there to rebuild server error stacks in the browser.
 */
export function contentSecurityPolicy(nonce: string, options: { development?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh, unguessable nonce for one response. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A write (server action, form post, import) sent from another site's page: its Origin names a host other than
 * the one the request was addressed to. The host is read as Next.js reads it for its own server-action check (the
 * first X-Forwarded-Host, else Host), so both agree; an Origin that is not a URL, or "null", is never ours.
 * A request without Origin is left to the route, as Next.js does: browsers send one with every write.
 */
export function isCrossSiteWrite(method: string, headers: Headers): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const origin = headers.get("origin");
  if (origin === null) return false;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (!host) return true;
  try {
    return new URL(origin).host !== host.toLowerCase();
  } catch {
    return true;
  }
}
