/**
 * Runs once when the server process starts, before the first request: migrations, reference and demo data,
 * the embedded database server and the background worker (lib/cli/app-start.ts). Node.js runtime only; the
 * import is dynamic so no other runtime bundles the database drivers.
 */
export async function register(): Promise<void> {
  // Facts Next.js gives about this process, not configuration, so not in lib/env.ts: NEXT_RUNTIME is replaced when
  // each runtime's bundle is compiled, which is what keeps the import below out of the others; NEXT_PHASE says a
  // build is running, when nothing must start (nor the configuration be judged: it is the server's, not the build's).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startApp } = await import("./lib/cli/app-start");
  await startApp();
}
