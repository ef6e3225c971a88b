import { recreateDatabase } from "./database";
import { e2eDatabaseUrl } from "./playwright-env";

// Runs as the first half of Playwright's webServer command: Playwright starts the web server BEFORE global
// setup, so the database must be re-created here, before `next start` connects and migrates it.
await recreateDatabase(e2eDatabaseUrl);
console.log(`e2e database ready: ${new URL(e2eDatabaseUrl).pathname.slice(1)}`);
