import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDatabase, embeddedDataDir, setDatabase, type DatabaseHandle, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import * as schema from "@/db/schema";
import { claimDataDir, releaseDataDir } from "@/lib/cli/data-dir-lock";
import { readLiveServerInfo } from "@/lib/cli/embedded-server";
import { env } from "@/lib/env";

/** Connections of a command (and of `npm run worker`) to PostgreSQL when DATABASE_POOL_MAX is unset: fewer than a server's. */
const COMMAND_POOL_MAX = 4;

export type CliDatabase = DatabaseHandle & {
  /** How this command reached the data: PostgreSQL, the running app's embedded server, or the directory itself. */
  via: "postgres" | "embedded-server" | "embedded-direct";
};

/**
 * The database for a command-line tool, chosen the same way for every command:
 *  - DATABASE_URL set → that PostgreSQL (migrated first; migrations take an advisory lock);
 *  - else, when DATA_DIR/server.json names a running app → the app's embedded database through its socket
 *    server (one connection; the app has migrated it);
 *  - else → the PGlite directory itself, claimed for this process and migrated first.
 * `longRunning` (a worker, a server) refuses the running app's socket server: its clients hold the database.
 * The handle also becomes the process-wide one (getDb()), so domain functions called by the command use it.
 */
export async function openCliDatabase(options: { migrate?: boolean; longRunning?: boolean } = {}): Promise<CliDatabase> {
  const migrate = options.migrate ?? true;
  const { DATABASE_URL: url, DATABASE_POOL_MAX } = env();
  if (url) {
    const handle = createDatabase({ url, poolMax: DATABASE_POOL_MAX ?? COMMAND_POOL_MAX });
    if (migrate) await migrateDatabase(handle);
    setDatabase(handle);
    return { ...handle, via: "postgres" };
  }

  const dataDir = embeddedDataDir();
  const server = dataDir.startsWith("memory://") ? null : readLiveServerInfo(dataDir);
  if (server) {
    if (options.longRunning) {
      // A client of the app's socket server holds the whole database while connected: fine for a command that
      // takes seconds, fatal for a service. The app already runs the worker in-process in embedded mode.
      throw new Error(
        `The app (pid ${server.pid}) is running on this embedded database and already runs the background worker in-process. Stop it first, or use PostgreSQL (DATABASE_URL) to run workers separately.`,
      );
    }
    const serverUrl = `postgres://postgres@${server.host}:${server.port}/postgres`;
    // prepare: false — the app's PGlite is one session shared by every client; named statements would collide.
    const sql = postgres(serverUrl, { max: 1, prepare: false, onnotice: () => {}, connect_timeout: 10 });
    try {
      await sql`select 1`;
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => undefined);
      throw new Error(`The app (pid ${server.pid}) has the embedded database open, but its database server at ${server.host}:${server.port} did not answer: ${(error as Error).message}`);
    }
    const db = drizzle(sql, { schema, casing: "snake_case" }) as unknown as Db;
    const handle: DatabaseHandle = { mode: "postgres", db, sql, url: serverUrl, close: () => sql.end({ timeout: 5 }) };
    setDatabase(handle);
    return { ...handle, via: "embedded-server" };
  }

  if (!dataDir.startsWith("memory://")) claimDataDir(dataDir, "command");
  const handle = createDatabase({ dataDir });
  if (migrate) await migrateDatabase(handle);
  setDatabase(handle);
  const close = async () => {
    await handle.close();
    if (!dataDir.startsWith("memory://")) releaseDataDir(dataDir);
  };
  return { ...handle, close, via: "embedded-direct" };
}

/** Runs a command's body with the database open, closing it afterwards; errors go to stderr with exit code 1. */
export async function withCliDatabase(body: (db: CliDatabase) => Promise<void>, options: { migrate?: boolean } = {}): Promise<void> {
  let handle: CliDatabase | undefined;
  try {
    handle = await openCliDatabase(options);
    await body(handle);
  } catch (error) {
    process.exitCode = 1;
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
