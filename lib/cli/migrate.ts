/** Applies pending migrations (`npm run db:migrate`); the app also does this when it starts. */
import { ensureReferenceData } from "@/lib/accounts/sandbox";
import { withCliDatabase } from "@/lib/cli/database";

await withCliDatabase(async ({ db, via }) => {
  await ensureReferenceData(db, "sandbox");
  process.stdout.write(via === "embedded-server" ? "The running app has already migrated its embedded database.\n" : "Database migrated.\n");
});
