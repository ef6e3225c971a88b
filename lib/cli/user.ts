/**
 * Creates or updates a dashboard user (the way to add people when running on PostgreSQL):
 *   npm run --silent user -- --email <address> --role support|warehouse|ops|admin --password <password> [--name <name>]
 * Running it again for the same e-mail changes the role, name and password and reactivates the user.
 */
import { parseArgs } from "node:util";
import { dashboardRoles, upsertDashboardUser, type DashboardRole } from "@/lib/auth/dashboard-users";
import { withCliDatabase } from "@/lib/cli/database";

const USAGE = `usage: npm run --silent user -- --email <address> --role ${dashboardRoles.join("|")} --password <password> [--name <name>]`;
const MIN_PASSWORD = 8;

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
if ((values.password ?? "").length < MIN_PASSWORD) fail(`--password must have at least ${MIN_PASSWORD} characters`);

await withCliDatabase(async ({ db }) => {
  const user = await upsertDashboardUser(db, { email, password: values.password ?? "", role: values.role as DashboardRole, name: values.name });
  process.stdout.write(`${user.email} (${user.role}) can sign in.\n`);
});
