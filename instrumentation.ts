/**
 * Runs once when the server process starts, before the first request: migrations, reference and demo data,
 * the embedded database server and the background worker (lib/cli/app-start.ts). Node.js runtime only; the
 * import is dynamic so no other runtime bundles the database drivers.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startApp } = await import("./lib/cli/app-start");
  await startApp();
}
