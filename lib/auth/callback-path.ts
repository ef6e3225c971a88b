/** Where the login form sends a user who asked for no page, or for one that is not ours: the overview. */
export const DEFAULT_AFTER_SIGN_IN = "/";

/**
 * The page to go to after signing in, only if it is a path on this site. Browsers read `\` as `/` and drop tabs
 * and newlines, so `/\evil.example` or `/\t/evil.example` would leave the site although they start with one slash:
 * the value is resolved as a browser would, and kept only when it stays on the same origin.
 */
export function safeCallbackPath(value: string | undefined | null): string {
  if (!value || !value.startsWith("/")) return DEFAULT_AFTER_SIGN_IN;
  const base = "http://callback.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : DEFAULT_AFTER_SIGN_IN;
}
