/**
 * Connects a Shopify shop to an account (connecting again updates it):
 *   npm run --silent shop -- connect --shop <domain> --account <name> [--env sandbox|live] --secret <webhook secret>
 *       --token <admin token> [--admin-url <url>] [--location <shopify location id>=<warehouse id> ...] [--sync-interval <seconds>]
 *   npm run --silent shop -- list
 * The account is created when it does not exist. Secrets are stored encrypted and never printed. A connect is
 * recorded in the audit log as "cli:<os user>".
 */
import { parseArgs } from "node:util";
import { inTransaction } from "@/db/transaction";
import { cliActor, recordAudit } from "@/lib/audit/record";
import { shopChange, shopSubject } from "@/lib/audit/subjects";
import { withCliDatabase } from "@/lib/cli/database";
import { connectShop, listConnections, normalizeShopDomain } from "@/lib/channels/shopify/connections";
import { ValidationError } from "@/lib/errors";

const USAGE = [
  "usage: npm run --silent shop -- connect --shop <domain> --account <name> [--env sandbox|live] --secret <webhook secret> --token <admin token>",
  "         [--admin-url <url>] [--location <shopify location id>=<warehouse id> ...] [--sync-interval <seconds>]",
  "       npm run --silent shop -- list",
].join("\n");

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(1);
}

type ConnectArgs = {
  shop: string;
  account: string;
  environment: "sandbox" | "live";
  secret?: string;
  token?: string;
  adminUrl?: string;
  locations?: { location: string; warehouse: string }[];
  syncInterval?: number;
};

function parseConnect(args: string[]): ConnectArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        shop: { type: "string" },
        account: { type: "string" },
        env: { type: "string", default: "sandbox" },
        secret: { type: "string" },
        token: { type: "string" },
        "admin-url": { type: "string" },
        location: { type: "string", multiple: true },
        "sync-interval": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const shop = (values.shop as string | undefined)?.trim();
  const account = (values.account as string | undefined)?.trim();
  if (!shop) fail("--shop is required");
  if (!account) fail("--account is required");
  const env = values.env as string;
  if (env !== "sandbox" && env !== "live") fail(`--env must be sandbox or live, not '${env}'`);
  const locations = (values.location as string[] | undefined)?.map((pair) => {
    const at = pair.indexOf("=");
    if (at <= 0 || at === pair.length - 1) fail(`--location must be <shopify location id>=<warehouse id>, not '${pair}'`);
    return { location: pair.slice(0, at).trim(), warehouse: pair.slice(at + 1).trim() };
  });
  const interval = values["sync-interval"] as string | undefined;
  if (interval !== undefined && !/^\d+$/.test(interval)) fail(`--sync-interval must be a number of seconds, not '${interval}'`);
  return {
    shop,
    account,
    environment: env,
    secret: values.secret as string | undefined,
    token: values.token as string | undefined,
    adminUrl: values["admin-url"] as string | undefined,
    locations,
    syncInterval: interval === undefined ? undefined : Number(interval),
  };
}

const [command, ...rest] = process.argv.slice(2);
if (command === "-h" || command === "--help") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (command === "connect") {
  const args = parseConnect(rest);
  await withCliDatabase(async ({ db }) => {
    try {
      // The connection and its audit row commit together.
      const { connection, created, locations } = await inTransaction(db, async (tx) => {
        const before = await shopSubject(tx, normalizeShopDomain(args.shop));
        const result = await connectShop(tx, {
          shopDomain: args.shop,
          accountName: args.account,
          environment: args.environment,
          webhookSecret: args.secret,
          adminToken: args.token,
          adminUrl: args.adminUrl,
          locations: args.locations,
          inventorySyncIntervalSeconds: args.syncInterval,
        });
        await recordAudit(tx, { ...cliActor(), ...(await shopChange(tx, before, result.connection)) });
        return result;
      });
      const where = locations.map((l) => `${l.locationGid}=${l.warehouseId}`).join(", ") || "none";
      process.stdout.write(
        `${created ? "Connected" : "Updated"} ${connection.shopDomain} (${connection.id}) to account ${args.account} (${connection.environment}); ` +
          `Admin API ${connection.adminUrl}; locations: ${where}; inventory sync every ${connection.inventorySyncIntervalSeconds}s\n`,
      );
    } catch (error) {
      if (error instanceof ValidationError && error.field) throw new Error(`--${error.field.replaceAll("_", "-")}: ${error.message}`);
      throw error;
    }
  });
} else if (command === "list") {
  await withCliDatabase(async ({ db }) => {
    for (const c of await listConnections(db)) {
      const where = c.locations.map((l) => `${l.locationGid}=${l.warehouseId}`).join(", ") || "no locations";
      process.stdout.write(`${c.shopDomain}\t${c.accountName}\t${c.environment}\t${c.active ? "active" : "inactive"}\t${c.adminUrl}\t${where}\n`);
    }
  });
} else {
  fail(command ? `unknown command '${command}'` : "a command is required");
}
