import { count } from "drizzle-orm";
import { database, embeddedDataDir } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { accounts } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData, seedDemoUsers } from "@/lib/demo/seed";
import { ensureReferenceData } from "@/lib/accounts/sandbox";
import { ensureDefaultStatusMappings } from "@/lib/status-mapping/defaults";
import { configureAuthEnvironment } from "@/lib/auth/next-auth";
import { claimDataDir, DataDirBusyError } from "@/lib/cli/data-dir-lock";
import { startEmbeddedServer } from "@/lib/cli/embedded-server";
import { checkServerConfiguration, exitUnlessConfigured } from "@/lib/cli/start-checks";
import { env } from "@/lib/env";
import { startWorker } from "@/lib/worker";

function log(message: string): void {
  console.log(`[hub] ${message}`);
}

/** Waits for a command that has the embedded directory open to finish (they take seconds), then claims it. */
async function claimWithPatience(dataDir: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      claimDataDir(dataDir, "app");
      return;
    } catch (error) {
      if (!(error instanceof DataDirBusyError) || error.owner.kind !== "command" || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * What the app process does before it serves its first request (instrumentation's register): configuration
 * checks, migrations (advisory-locked on PostgreSQL), the sandbox reference data, and in embedded mode the demo
 * data on first start and the socket server through which CLI commands reach this process's database; then the
 * background worker unless WORKER=off.
 */
export async function startApp(): Promise<void> {
  configureAuthEnvironment();
  // Without its secrets the server would stay up and answer 500 to every request: it stops here instead.
  exitUnlessConfigured(checkServerConfiguration);

  const embedded = !env().DATABASE_URL;
  const dataDir = embeddedDataDir();
  if (embedded && !dataDir.startsWith("memory://")) await claimWithPatience(dataDir);

  const handle = database();
  await migrateDatabase(handle);
  await ensureReferenceData(handle.db, "sandbox");
  // Warehouse events resolve raw statuses through this table: it must hold the defaults before the first event.
  await ensureDefaultStatusMappings(handle.db);

  if (handle.mode === "embedded") {
    const [{ value }] = await handle.db.select({ value: count() }).from(accounts);
    if (Number(value) === 0) {
      log("first start: seeding the demo data (takes a few seconds)…");
      await seedDemoData(handle.db);
      log(`demo logins: ${DEMO_USERS.map((u) => u.email).join(", ")} (password ${DEMO_PASSWORD})`);
    } else if (await seedDemoUsers(handle.db)) {
      log(`demo logins created: ${DEMO_USERS.map((u) => u.email).join(", ")} (password ${DEMO_PASSWORD})`);
    }
    if (!dataDir.startsWith("memory://")) {
      const port = env().EMBEDDED_DB_PORT;
      try {
        const { info } = await startEmbeddedServer(handle.pglite, dataDir, { host: "127.0.0.1", port });
        log(`embedded database in ${dataDir}; CLI commands reach it on ${info.host}:${info.port}`);
      } catch (error) {
        // The app works without it; only CLI commands run while the app is up cannot reach the data.
        log(`could not start the embedded database server on port ${port} (${(error as Error).message}); set EMBEDDED_DB_PORT to a free port`);
      }
    }
  }

  if (env().WORKER === "on") {
    // No db given: on PostgreSQL the worker takes a small pool of its own, so HTTP load cannot starve it.
    const { loops } = startWorker();
    log(`background worker running (${loops.join(", ")})`);
  }
}
