import { and, count, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { shippingMethods, skus, warehouses, type Address, type ShippingMethod, type Warehouse, type Environment } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { moveStock } from "@/lib/inventory/stock";

type WarehouseSeed = { slug: string; code: string; name: string; address: Address; timezone: string; priority: number };
type MethodSeed = { slug: string; name: string; carrier: string; carrierName: string; serviceCode: string; trackingUrlTemplate: string; isDefault: boolean };

/** The 3PL's demo warehouses: two cities, so routing and split shipments have somewhere to go. */
export const REFERENCE_WAREHOUSES: readonly WarehouseSeed[] = [
  {
    slug: "syd_1",
    code: "SYD",
    name: "Sydney DC",
    address: { address1: "1 Freight Rd", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    timezone: "Australia/Sydney",
    priority: 10,
  },
  {
    slug: "mel_1",
    code: "MEL",
    name: "Melbourne DC",
    address: { address1: "9 Dock St", city: "Melbourne", state: "VIC", postcode: "3000", country: "AU" },
    timezone: "Australia/Melbourne",
    priority: 20,
  },
];

const AUSPOST_TRACKING = "https://auspost.com.au/mypost/track/details/{tracking_number}";

export const REFERENCE_SHIPPING_METHODS: readonly MethodSeed[] = [
  { slug: "auspost_parcel", name: "Parcel Post", carrier: "auspost", carrierName: "Australia Post", serviceCode: "PP", trackingUrlTemplate: AUSPOST_TRACKING, isDefault: true },
  { slug: "auspost_express", name: "Express Post", carrier: "auspost", carrierName: "Australia Post", serviceCode: "EXP", trackingUrlTemplate: AUSPOST_TRACKING, isDefault: false },
  {
    slug: "startrack_premium",
    name: "StarTrack Premium",
    carrier: "startrack",
    carrierName: "StarTrack",
    serviceCode: "PRM",
    trackingUrlTemplate: "https://startrack.com.au/track/details/{tracking_number}",
    isDefault: false,
  },
];

/** SKUs a new sandbox account starts with, and their stock per warehouse code. */
export const SANDBOX_STARTER_SKUS: readonly { sku: string; description: string; stock: Record<string, number> }[] = [
  { sku: "WIDGET-BLUE-M", description: "Blue Widget — Medium", stock: { SYD: 120, MEL: 40 } },
  { sku: "WIDGET-RED-S", description: "Red Widget — Small", stock: { SYD: 60, MEL: 30 } },
  { sku: "GADGET-PRO", description: "Gadget Pro", stock: { SYD: 25 } },
  { sku: "TEE-BLACK-L", description: "Black Tee — Large", stock: { MEL: 35 } },
];

// Stable, readable ids ("wh_syd_1" as in the partner guide; "wh_test_syd_1" in the sandbox): the same on every
// installation, so documentation and partners' sandbox configuration can name them.
function referenceId(prefix: "wh" | "sm", environment: Environment, slug: string): string {
  return `${prefix}_${environment === "sandbox" ? "test_" : ""}${slug}`;
}

export type ReferenceData = { warehouses: Warehouse[]; shippingMethods: ShippingMethod[] };

/**
 * Makes sure the environment has the demo warehouses and shipping methods. Idempotent and safe when several
 * instances start at once: warehouses are keyed by (environment, code), methods by (environment, name), and the
 * stable ids turn a concurrent duplicate insert into a no-op. Existing rows are never changed.
 */
export async function ensureReferenceData(db: DbOrTx, environment: Environment): Promise<ReferenceData> {
  await db
    .insert(warehouses)
    .values(REFERENCE_WAREHOUSES.map((w) => ({ id: referenceId("wh", environment, w.slug), environment, name: w.name, code: w.code, address: w.address, timezone: w.timezone, priority: w.priority })))
    .onConflictDoNothing();

  const existing = await db.select().from(shippingMethods).where(eq(shippingMethods.environment, environment));
  const names = new Set(existing.map((m) => m.name));
  const hasDefault = existing.some((m) => m.isDefault);
  const missing = REFERENCE_SHIPPING_METHODS.filter((m) => !names.has(m.name));
  if (missing.length) {
    await db
      .insert(shippingMethods)
      .values(
        missing.map((m) => ({
          id: referenceId("sm", environment, m.slug),
          environment,
          name: m.name,
          carrier: m.carrier,
          carrierName: m.carrierName,
          serviceCode: m.serviceCode,
          trackingUrlTemplate: m.trackingUrlTemplate,
          isDefault: m.isDefault && !hasDefault,
        })),
      )
      .onConflictDoNothing();
  }

  const [whRows, methodRows] = await Promise.all([
    db
      .select()
      .from(warehouses)
      .where(
        and(
          eq(warehouses.environment, environment),
          inArray(
            warehouses.code,
            REFERENCE_WAREHOUSES.map((w) => w.code),
          ),
        ),
      )
      .orderBy(warehouses.priority),
    db
      .select()
      .from(shippingMethods)
      .where(
        and(
          eq(shippingMethods.environment, environment),
          inArray(
            shippingMethods.name,
            REFERENCE_SHIPPING_METHODS.map((m) => m.name),
          ),
        ),
      ),
  ]);
  return { warehouses: whRows, shippingMethods: methodRows };
}

export type ProvisionResult = { skusCreated: string[] };

/**
 * Gives a new sandbox account something to work with (spec §6): the sandbox warehouses and shipping methods,
 * and a few SKUs with stock, so a partner can create an order and poll a shipment back within minutes.
 * Idempotent: an account that already has sandbox SKUs is left alone, and stock is added only to SKU rows this
 * call created, so a second call (or a concurrent one) never adds stock twice.
 */
export async function provisionSandboxAccount(db: DbOrTx, accountId: string): Promise<ProvisionResult> {
  const reference = await ensureReferenceData(db, "sandbox");
  const warehouseByCode = new Map(reference.warehouses.map((w) => [w.code, w.id]));
  const ctx: DomainContext = { accountId, environment: "sandbox", source: "system", actor: "sandbox-provisioning" };

  return inTransaction(db, async (tx) => {
    const [{ value: existingSkus }] = await tx
      .select({ value: count() })
      .from(skus)
      .where(and(eq(skus.accountId, accountId), eq(skus.environment, "sandbox")));
    if (Number(existingSkus) > 0) return { skusCreated: [] };

    const created = await tx
      .insert(skus)
      .values(SANDBOX_STARTER_SKUS.map((s) => ({ id: newId("sku"), accountId, environment: "sandbox" as const, sku: s.sku, description: s.description })))
      .onConflictDoNothing()
      .returning();
    for (const row of created) {
      const starter = SANDBOX_STARTER_SKUS.find((s) => s.sku === row.sku);
      for (const [code, onHand] of Object.entries(starter?.stock ?? {})) {
        const warehouseId = warehouseByCode.get(code);
        if (!warehouseId || onHand <= 0) continue;
        await moveStock(tx, ctx, { skuId: row.id, warehouseId, kind: "receive", reason: "received", refType: "sandbox_provisioning", delta: { onHand } });
      }
    }
    return { skusCreated: created.map((r) => r.sku) };
  });
}
