/**
 * Issues an API key and prints it, alone, on stdout (for scripts):
 *   npm run --silent apikey -- --account <name> [--env sandbox|live] [--role partner|warehouse]
 * The account is created when it does not exist; a sandbox account gets starter SKUs with stock on its first key.
 */
import { parseArgs } from "node:util";
import { inTransaction } from "@/db/transaction";
import { cliActor, recordAudit } from "@/lib/audit/record";
import { issueApiKey, type KeyRole } from "@/lib/auth/api-keys";
import { withCliDatabase } from "@/lib/cli/database";
import type { Environment } from "@/db/schema";

const USAGE = "usage: npm run --silent apikey -- --account <name> [--env sandbox|live] [--role partner|warehouse]";

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(1);
}

function parse(): { account: string; environment: Environment; role: KeyRole } {
  let values: { account?: string; env?: string; role?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { account: { type: "string" }, env: { type: "string", default: "sandbox" }, role: { type: "string", default: "partner" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const account = values.account?.trim();
  if (!account) fail("--account is required");
  if (values.env !== "sandbox" && values.env !== "live") fail(`--env must be sandbox or live, not '${values.env}'`);
  if (values.role !== "partner" && values.role !== "warehouse") fail(`--role must be partner or warehouse, not '${values.role}'`);
  return { account, environment: values.env, role: values.role };
}

const args = parse();
await withCliDatabase(async ({ db }) => {
  // The verb the Admin page uses, audited in the same transaction: one way to issue a key.
  const key = await inTransaction(db, async (tx) => {
    const issued = await issueApiKey(tx, { accountName: args.account, environment: args.environment, role: args.role });
    await recordAudit(tx, { ...cliActor(), ...issued.audit });
    return issued.key;
  });
  process.stdout.write(`${key}\n`);
});
