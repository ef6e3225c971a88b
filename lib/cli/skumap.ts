/**
 * Imports or exports an account's SKU map (CSV header: channel_sku,variant_id,account_sku,warehouse_item_code,active):
 *   npm run --silent skumap -- import <file.csv> --account <name> [--env sandbox|live]
 *   npm run --silent skumap -- export --account <name> [--env sandbox|live]     (CSV on stdout)
 * Import validates every row first and applies all of them in one transaction, or nothing: a bad file exits 1
 * naming each bad row by line number (the header is line 1). Orders held for unmapped SKUs are then re-run.
 * An import is recorded in the audit log as "cli:<os user>".
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { accounts } from "@/db/schema";
import { cliActor } from "@/lib/audit/record";
import { rerunHeldOrders } from "@/lib/channels/shopify/sku-map";
import { withCliDatabase } from "@/lib/cli/database";
import type { DomainContext } from "@/lib/context";
import { exportSkuMapCsv, importSkuMapCsv, type ImportProgress } from "@/lib/sku-map/csv";

const USAGE = [
  "usage: npm run --silent skumap -- import <file.csv> --account <name> [--env sandbox|live]",
  "       npm run --silent skumap -- export --account <name> [--env sandbox|live]",
].join("\n");

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(1);
}

const [command, ...rest] = process.argv.slice(2);
if (command === "-h" || command === "--help") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (command !== "import" && command !== "export") fail(command ? `unknown command '${command}'` : "a command is required");

let parsed: { values: { account?: string; env?: string }; positionals: string[] };
try {
  parsed = parseArgs({ args: rest, options: { account: { type: "string" }, env: { type: "string", default: "sandbox" } }, strict: true, allowPositionals: true });
} catch (error) {
  fail((error as Error).message);
}
const accountName = parsed.values.account?.trim();
const environment = parsed.values.env;
if (!accountName) fail("--account is required");
if (environment !== "sandbox" && environment !== "live") fail(`--env must be sandbox or live, not '${environment}'`);
const file = parsed.positionals[0];
if (command === "import" && (!file || parsed.positionals.length > 1)) fail("import takes exactly one CSV file");
if (command === "export" && parsed.positionals.length) fail("export takes no file; it writes to stdout");

let text = "";
if (command === "import") {
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function progressBar(p: ImportProgress): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = p.total ? Math.round((p.done / p.total) * width) : width;
  process.stderr.write(`\r${p.phase.padEnd(10)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total}`);
  if (p.phase === "applying" && p.done === p.total) process.stderr.write("\n");
}

await withCliDatabase(async ({ db }) => {
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, accountName));
  if (!account) throw new Error(`Account '${accountName}' does not exist.`);
  const ctx: DomainContext = { accountId: account.id, environment, source: "system", actor: "cli:skumap" };
  if (command === "export") {
    process.stdout.write(await exportSkuMapCsv(db, ctx));
    return;
  }
  const result = await importSkuMapCsv(db, ctx, cliActor(), text, { onProgress: progressBar });
  if (!result.ok) {
    if (process.stderr.isTTY) process.stderr.write("\n");
    process.stderr.write(`${file}: ${result.errors.length} problem(s); nothing was imported.\n`);
    for (const e of result.errors) process.stderr.write(`line ${e.line}: ${e.message}\n`);
    process.exitCode = 1;
    return;
  }
  const released = await rerunHeldOrders(db, ctx);
  process.stdout.write(
    `Imported ${result.total} row(s) into the SKU map of ${accountName} (${environment}): ${result.created} created, ${result.updated} updated.` +
      `${released.length ? ` Released ${released.length} order(s) held for unmapped SKUs.` : ""}\n`,
  );
});
