import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { accounts, auditLog, shopConnections, skuMappings, skus, warehouses } from "@/db/schema";
import { ensureAccount } from "@/lib/auth/api-keys";
import { findConnectionForWebhook, loadShopCredentials } from "@/lib/channels/shopify/connections";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { onPostgres } from "@/e2e/support/vitest-env";

// The commands are given the suite's key, so this test opens the secrets they seal.
const SECRETS_KEY = env().SECRETS_KEY!;

const tsx = path.resolve("node_modules/.bin/tsx");
let dataDir: string;
let warehouseA: string;
let warehouseB: string;

/** Runs a command as an operator would, against the embedded data directory of this test. */
function run(script: "shop" | "skumap", args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const environment = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NODE_ENV: "test" as const, DATA_DIR: dataDir, SECRETS_KEY };
  return new Promise((resolve) => {
    const child = spawn(tsx, [`lib/cli/${script}.ts`, ...args], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the directory while no command holds it. */
async function withData<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = createDatabase({ dataDir });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

// The commands run on their own embedded directory whatever TEST_DATABASE_URL says: once per CI run is enough.
describe.skipIf(onPostgres)("shop and SKU map commands", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "hub-shop-cli-"));
    await withData(async (handle) => {
      await migrateDatabase(handle);
      const address = { address1: "1 Dock Rd", city: "Sydney", country: "AU" };
      warehouseA = newId("wh");
      warehouseB = newId("wh");
      await handle.db.insert(warehouses).values([
        { id: warehouseA, environment: "sandbox", name: "Sydney", code: "SYD-CLI", address },
        { id: warehouseB, environment: "sandbox", name: "Perth", code: "PER-CLI", address },
      ]);
      const accountId = await ensureAccount(handle.db, "Sku Map Co");
      await handle.db.insert(skus).values({ id: newId("sku"), accountId, environment: "sandbox", sku: "ACC-1" });
    });
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Each command is a fresh process that compiles and opens the database: seconds each on a busy machine.
  const SLOW = { timeout: 240_000 };

  describe("npm run shop -- connect", () => {
    it("connects a shop (account created, secrets sealed, location stored as gid), and connecting again updates it", SLOW, async () => {
      const first = await run("shop", ["connect", "--shop", "cli-store.myshopify.com", "--account", "CLI Store", "--secret", "whsec-one", "--token", "shpat_one", "--location", `111=${warehouseA}`]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^Connected cli-store\.myshopify\.com \(shop_[a-z0-9]+\) to account CLI Store \(sandbox\)/);
      expect(first.stdout).not.toContain("whsec-one");
      expect(first.stdout).not.toContain("shpat_one");

      const second = await run("shop", [
        "connect",
        "--shop",
        "https://CLI-Store.myshopify.com/",
        "--account",
        "CLI Store",
        "--env",
        "sandbox",
        "--secret",
        "whsec-two",
        "--token",
        "shpat_two",
        "--admin-url",
        "http://127.0.0.1:9999/admin/api/graphql.json",
        "--location",
        "gid://shopify/Location/222=PER-CLI",
        "--location",
        `333=${warehouseA}`,
      ]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/^Updated cli-store\.myshopify\.com/);

      await withData(async ({ db }) => {
        const rows = await db.select().from(shopConnections).where(eq(shopConnections.shopDomain, "cli-store.myshopify.com"));
        expect(rows).toHaveLength(1);
        expect(rows[0].webhookSecretEncrypted).not.toContain("whsec");
        const [account] = await db.select().from(accounts).where(eq(accounts.id, rows[0].accountId));
        expect(account.name).toBe("CLI Store");
        expect((await findConnectionForWebhook(db, "cli-store.myshopify.com"))?.webhookSecret).toBe("whsec-two");
        const credentials = await loadShopCredentials(db, rows[0].id);
        expect(credentials).toMatchObject({ adminToken: "shpat_two", adminUrl: "http://127.0.0.1:9999/admin/api/graphql.json" });
        expect(credentials?.locations).toEqual([
          { locationGid: "gid://shopify/Location/222", warehouseId: warehouseB },
          { locationGid: "gid://shopify/Location/333", warehouseId: warehouseA },
        ]);
        // Both connects are in the audit log as the operator's, the second with what it changed; no secret anywhere.
        const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityType, "shop"), eq(auditLog.entityId, rows[0].id))).orderBy(auditLog.occurredAt, auditLog.id);
        expect(audit.map((r) => [r.action, r.source, r.actor.startsWith("cli:")])).toEqual([
          ["connected", "cli", true],
          ["updated", "cli", true],
        ]);
        expect(audit[1]).toMatchObject({ before: { admin_url: expect.stringContaining("cli-store.myshopify.com") }, after: { admin_url: "http://127.0.0.1:9999/admin/api/graphql.json" } });
        expect(JSON.stringify(audit)).not.toMatch(/whsec|shpat/);
      });
    });

    it("refuses bad input with exit 1 and a message naming the option", SLOW, async () => {
      const missing = await run("shop", ["connect", "--shop", "x.myshopify.com", "--account", "A"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("--secret");
      const badLocation = await run("shop", ["connect", "--shop", "y.myshopify.com", "--account", "A", "--secret", "s", "--token", "t", "--location", "abc=SYD-CLI"]);
      expect(badLocation.code).toBe(1);
      expect(badLocation.stderr).toContain("--location");
      await withData(async ({ db }) => {
        expect(await db.select().from(shopConnections).where(eq(shopConnections.shopDomain, "y.myshopify.com"))).toEqual([]);
      });
    });
  });

  describe("npm run skumap -- import", () => {
    it("a good file: exit 0 and a summary; a bad file: exit 1, the rows named, nothing applied", SLOW, async () => {
      const good = path.join(dataDir, "good.csv");
      writeFileSync(good, "channel_sku,variant_id,account_sku,warehouse_item_code,active\nSHOP-1,101,ACC-1,,\n");
      const ok = await run("skumap", ["import", good, "--account", "Sku Map Co"]);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("Imported 1 row(s)");

      const bad = path.join(dataDir, "bad.csv");
      writeFileSync(bad, "channel_sku,variant_id,account_sku,warehouse_item_code,active\nSHOP-2,,ACC-1,,\nSHOP-3,,NOPE,,\n,,ACC-1,,\n");
      const refused = await run("skumap", ["import", bad, "--account", "Sku Map Co"]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("nothing was imported");
      expect(refused.stderr).toMatch(/line 3: .*NOPE/);
      expect(refused.stderr).toMatch(/line 4: /);
      expect(refused.stderr).not.toMatch(/line 2:/);

      const exported = await run("skumap", ["export", "--account", "Sku Map Co"]);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toBe("channel_sku,variant_id,account_sku,warehouse_item_code,active\nSHOP-1,101,ACC-1,,true\n");

      await withData(async ({ db }) => {
        const rows = await db.select({ channelSku: skuMappings.channelSku }).from(skuMappings);
        expect(rows).toEqual([{ channelSku: "SHOP-1" }]);
      });
    });
  });
});
