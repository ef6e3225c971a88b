import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { embeddedSecret } from "@/lib/auth/embedded-secret";
import { ConfigurationError, env, sharedSecretsRequired } from "@/lib/env";

/**
 * Secrets we must be able to read back (webhook signing secrets, channel tokens) are stored encrypted with
 * AES-256-GCM under SECRETS_KEY (base64 of 32 bytes). Stored form: "v1:" + base64(iv ‖ tag ‖ ciphertext).
 * GCM authenticates, so a tampered or foreign ciphertext fails loudly instead of decrypting to garbage.
 */

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

let cachedKey: Buffer | undefined;

function loadKey(): Buffer {
  // lib/env.ts has checked that it is 32 bytes.
  const configured = env().SECRETS_KEY;
  if (configured) return Buffer.from(configured, "base64");
  // Embedded demo mode needs no configuration: the key lives in DATA_DIR next to the data it protects. With a shared
  // PostgreSQL every instance must decrypt what another wrote, so there it must be given the key.
  if (sharedSecretsRequired()) {
    throw new ConfigurationError("SECRETS_KEY", "SECRETS_KEY is not set: with DATABASE_URL every instance needs the same key (openssl rand -base64 32).");
  }
  return Buffer.from(embeddedSecret("secrets.key", 32), "base64");
}

function key(): Buffer {
  cachedKey ??= loadKey();
  return cachedKey;
}

/** Loads the key now, so a missing or malformed SECRETS_KEY stops the server at start, not at the first webhook. */
export function checkSecretsKey(): void {
  key();
}

/**
 * Encrypts a secret for storage. `context` (e.g. the row's table and id) is bound into the ciphertext as
 * associated data: a ciphertext copied onto another row no longer decrypts.
 */
export function encryptSecret(plaintext: string, context = ""): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

/** Reverses encryptSecret; throws when the key, the context or the ciphertext does not match. */
export function decryptSecret(stored: string, context = ""): string {
  if (!stored.startsWith(VERSION)) throw new Error("Unknown secret format.");
  const raw = Buffer.from(stored.slice(VERSION.length), "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("Truncated secret.");
  const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}
