import { getDb, type DbOrTx } from "@/db/client";
import { shippingMethods, skus, warehouses, type Environment } from "@/db/schema";
import { createApiKey, ensureAccount, type KeyRole } from "@/lib/auth/api-keys";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { moveStock } from "@/lib/inventory/stock";

/**
 * Test data built per test: every test makes its own account (unique name), so tests never lean on shared seed
 * data and can run against one PostgreSQL database in any order.
 */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}`;
}

export type TestTenant = {
  accountId: string;
  environment: Environment;
  key: string;
  ctx: DomainContext;
  warehouses: { syd: string; mel: string };
  shippingMethods: { express: string; parcel: string };
};

export async function createWarehouse(db: DbOrTx, environment: Environment, overrides: Partial<typeof warehouses.$inferInsert> = {}) {
  const code = unique("WH").toUpperCase();
  const [row] = await db
    .insert(warehouses)
    .values({
      id: newId("wh"),
      environment,
      name: `Test DC ${code}`,
      code,
      address: { address1: "1 Freight Rd", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
      timezone: "Australia/Sydney",
      ...overrides,
    })
    .returning();
  return row;
}

export async function createShippingMethod(db: DbOrTx, environment: Environment, overrides: Partial<typeof shippingMethods.$inferInsert> = {}) {
  const [row] = await db
    .insert(shippingMethods)
    .values({
      id: newId("sm"),
      environment,
      name: unique("Express Post"),
      carrier: "auspost",
      carrierName: "Australia Post",
      serviceCode: "EXP",
      trackingUrlTemplate: "https://auspost.com.au/mypost/track/details/{tracking_number}",
      ...overrides,
    })
    .returning();
  return row;
}

/** An account with a key, two warehouses (Sydney, Melbourne) and two shipping methods of its environment. */
export async function createTenant(options: { environment?: Environment; role?: KeyRole; name?: string } = {}): Promise<TestTenant> {
  const db = getDb();
  const environment = options.environment ?? "sandbox";
  const accountId = await ensureAccount(db, options.name ?? unique("acct"));
  const { key } = await createApiKey(db, { accountId, environment, role: options.role ?? "partner" });
  const syd = await createWarehouse(db, environment, { priority: 10 });
  const mel = await createWarehouse(db, environment, {
    priority: 20,
    name: "Melbourne DC",
    address: { address1: "9 Dock St", city: "Melbourne", state: "VIC", postcode: "3000", country: "AU" },
  });
  const express = await createShippingMethod(db, environment);
  const parcel = await createShippingMethod(db, environment, { name: unique("Parcel Post"), serviceCode: "PP" });
  return {
    accountId,
    environment,
    key,
    ctx: { accountId, environment, source: "system", actor: "test" },
    warehouses: { syd: syd.id, mel: mel.id },
    shippingMethods: { express: express.id, parcel: parcel.id },
  };
}

/** A SKU of the tenant, with on_hand stock per warehouse (recorded in the ledger like any receipt). */
export async function createSku(tenant: Pick<TestTenant, "accountId" | "environment" | "ctx">, sku: string, stock: Record<string, number> = {}) {
  const db = getDb();
  const [row] = await db
    .insert(skus)
    .values({ id: newId("sku"), accountId: tenant.accountId, environment: tenant.environment, sku, description: `${sku} description` })
    .returning();
  for (const [warehouseId, onHand] of Object.entries(stock)) {
    await db.transaction((tx) => moveStock(tx, tenant.ctx, { skuId: row.id, warehouseId, kind: "receive", reason: "received", delta: { onHand } }));
  }
  return row;
}

/** A second key of the tenant with another role (a warehouse key next to the partner key, or the reverse). */
export async function keyWithRole(t: TestTenant, role: KeyRole, environment = t.environment): Promise<string> {
  return (await createApiKey(getDb(), { accountId: t.accountId, environment, role })).key;
}

/** The tenant acting through its sandbox key: what the /v1/sandbox routes hand the domain. */
export function sandboxCtx(t: TestTenant): DomainContext {
  return { ...t.ctx, source: "sandbox", actor: "test-key" };
}
