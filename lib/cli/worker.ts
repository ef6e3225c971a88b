import { openCliDatabase } from "@/lib/cli/database";
import { checkSecretsKey } from "@/lib/crypto/secrets";
import { startWorker, stopWorker } from "@/lib/worker";

/**
 * `npm run worker`: the background loops alone, for deployments that run HTTP instances with WORKER=off. Any number
 * may run at once (work is claimed in the database). SIGINT/SIGTERM finish the attempts in flight, then exit.
 */
checkSecretsKey(); // deliveries decrypt signing secrets: a bad key stops the worker now, not at its first delivery
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
