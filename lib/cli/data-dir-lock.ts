import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isProcessAlive } from "@/lib/cli/embedded-server";

type Owner = { pid: number; kind: string; since: string };

export class DataDirBusyError extends Error {
  constructor(
    readonly owner: Owner,
    dataDir: string,
  ) {
    super(`The embedded database in ${dataDir} is open in another process (${owner.kind}, pid ${owner.pid}). Stop it or wait for it to finish.`);
  }
}

/**
 * Claims DATA_DIR for this process before it opens the PGlite directory: two processes writing one PGlite
 * directory would corrupt it. The claim is a file naming our pid, created exclusively; a claim whose process
 * is gone is taken over. Released when the process exits.
 */
export function claimDataDir(dataDir: string, kind: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "owner.json");
  const mine: Owner = { pid: process.pid, kind, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: "wx" });
      process.once("exit", () => releaseDataDir(dataDir));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readOwner(file);
    if (owner && owner.pid === process.pid) return;
    if (owner && isProcessAlive(owner.pid)) throw new DataDirBusyError(owner, dataDir);
    rmSync(file, { force: true });
  }
  throw new Error(`Could not claim ${dataDir}`);
}

export function releaseDataDir(dataDir: string): void {
  const file = path.join(dataDir, "owner.json");
  if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
}

function readOwner(file: string): Owner | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Owner;
  } catch {
    return null;
  }
}
