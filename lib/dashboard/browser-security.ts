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
