import { cursorSecret } from "@/lib/api/pagination";
import { authSecret } from "@/lib/auth/next-auth";
import { checkSecretsKey } from "@/lib/crypto/secrets";
import { ConfigurationError, env } from "@/lib/env";

/** What the HTTP server cannot serve without: valid variables, and the keys of sessions, stored secrets and cursors. */
export function checkServerConfiguration(): void {
  env();
  authSecret();
  checkSecretsKey();
  cursorSecret();
}

/** What the worker cannot run without: it decrypts webhook signing secrets and shop tokens (it signs no sessions or cursors). */
export function checkWorkerConfiguration(): void {
  env();
  checkSecretsKey();
}

/**
 * Runs a start-time check. A missing or malformed variable ends the process at once with exit code 1 and one line
 * naming it, rather than a stack trace, or a server that stays up and answers 500 to every request.
 */
export function exitUnlessConfigured(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(`[hub] not started: ${error.message}`);
    process.exit(1);
  }
}
