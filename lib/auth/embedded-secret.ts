import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { embeddedDataDir } from "@/db/client";

const memorySecrets = new Map<string, string>();

/**
 * A secret generated once and kept in DATA_DIR (mode 0600), so `npm start` on a fresh machine needs no
 * configuration and the secret survives restarts. Only for embedded mode: several instances sharing one
 * PostgreSQL would each invent their own, so there the secret must come from the environment.
 */
export function embeddedSecret(fileName: string, bytes = 32): string {
  const dir = embeddedDataDir();
  if (dir.startsWith("memory://")) {
    const existing = memorySecrets.get(fileName);
    if (existing) return existing;
    const fresh = randomBytes(bytes).toString("base64");
    memorySecrets.set(fileName, fresh);
    return fresh;
  }
  const file = path.join(dir, fileName);
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dir, { recursive: true });
  const fresh = randomBytes(bytes).toString("base64");
  try {
    // "wx": when two processes race on the first start, one writes and the other reads the winner's secret.
    writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: "wx" });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
}
