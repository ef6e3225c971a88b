/**
 * Creates or updates a dashboard user (the way to add people when running on PostgreSQL, and the way back in when no
 * admin can sign in):
 *   npm run --silent user -- --email <address> --role support|warehouse|ops|admin --password <password> [--name <name>]
 * Running it again for the same e-mail changes the role, name and password and enables the user. Each change goes
 * through the same verb as on the Admin › Users page, so the same rules hold (the last active admin stays admin) and
 * each is in the audit log, by "cli:<os user>".
 */
import { parseArgs } from "node:util";
import { inTransaction } from "@/db/transaction";
import { cliActor, recordAudit } from "@/lib/audit/record";
import { dashboardRoles, MIN_PASSWORD_LENGTH, type DashboardRole } from "@/lib/auth/dashboard-users";
import {
  changeDashboardUserRole,
  createDashboardUser,
  findDashboardUserByEmail,
  renameDashboardUser,
  resetDashboardUserPassword,
  setDashboardUserActive,
} from "@/lib/auth/user-admin";
import { withCliDatabase } from "@/lib/cli/database";

const USAGE = `usage: npm run --silent user -- --email <address> --role ${dashboardRoles.join("|")} --password <password> [--name <name>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(1);
}

let values: { email?: string; role?: string; password?: string; name?: string };
try {
  ({ values } = parseArgs({
    options: { email: { type: "string" }, role: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail((error as Error).message);
}
const email = values.email?.trim() ?? "";
if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail("--email must be an e-mail address");
if (!(dashboardRoles as readonly string[]).includes(values.role ?? "")) fail(`--role must be one of ${dashboardRoles.join(", ")}`);
if ((values.password ?? "").length < MIN_PASSWORD_LENGTH) fail(`--password must have at least ${MIN_PASSWORD_LENGTH} characters`);
const role = values.role as DashboardRole;
const password = values.password ?? "";

// A refusal (the last active admin, a bad e-mail) is written to stderr with exit code 1, and nothing is kept.
await withCliDatabase(async ({ db }) => {
  await inTransaction(db, async (tx) => {
    const existing = await findDashboardUserByEmail(tx, email);
    const changes = [];
    if (!existing) {
      changes.push(await createDashboardUser(tx, { email, role, password, name: values.name }));
    } else {
      // Enabled before the role changes, so re-enabling a disabled admin while demoting another never trips the guard.
      changes.push(await setDashboardUserActive(tx, { userId: existing.id, active: true }));
      changes.push(await changeDashboardUserRole(tx, { userId: existing.id, role }));
      changes.push(await resetDashboardUserPassword(tx, { userId: existing.id, password }));
      if (values.name !== undefined) changes.push(await renameDashboardUser(tx, { userId: existing.id, name: values.name }));
    }
    // In the same transaction as the changes, as the Admin page records its own.
    const actor = cliActor();
    await recordAudit(tx, changes.flatMap(({ audit }) => (audit ? [{ ...actor, ...audit }] : [])));
  });
  process.stdout.write(`${email.toLowerCase()} (${role}) can sign in.\n`);
});
