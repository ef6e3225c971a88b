import { openCliDatabase } from "@/lib/cli/database";
import { checkWorkerConfiguration, exitUnlessConfigured } from "@/lib/cli/start-checks";
import { startWorker, stopWorker } from "@/lib/worker";

/**
 * `npm run worker`: the background loops alone, for deployments that run HTTP instances with WORKER=off. Any number
 * may run at once (work is claimed in the database). SIGINT/SIGTERM finish the attempts in flight, then exit.
 */
// Deliveries decrypt signing secrets: a missing or bad key stops the worker now, not at its first delivery.
exitUnlessConfigured(checkWorkerConfiguration);
const handle = await openCliDatabase({ longRunning: true });
const { loops } = startWorker({ db: handle.db });
console.log(`worker running (${loops.join(", ")}) on ${handle.via === "postgres" ? "PostgreSQL" : `the embedded database (${handle.via})`}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing deliveries in flight…`);
  await stopWorker();
  await handle.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
