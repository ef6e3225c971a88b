import { and, count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, dashboardUsers, operationalExceptions, orderEvents, orders, shipments, skus, type ShippingMethod, type Warehouse, type Environment } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { ensureReferenceData, provisionSandboxAccount } from "@/lib/accounts/sandbox";
import { ensureAccount } from "@/lib/auth/api-keys";
import { upsertDashboardUser, type DashboardRole } from "@/lib/auth/dashboard-users";
import type { DomainContext } from "@/lib/context";
import { COFFEE_ORDERS, COFFEE_SKUS, CUSTOMERS, DEMO_ORDERS, DEMO_SKUS, SANDBOX_ORDERS, type OrderSeed, type SkuSeed } from "./scenarios";
import { newId } from "@/lib/ids";
import { moveStock } from "@/lib/inventory/stock";
import { cancelOrder } from "@/lib/orders/cancel";
import { createOrder } from "@/lib/orders/create";
import { startPicking } from "@/lib/shipments/pick";
import { storeShipmentDocuments } from "@/lib/shipments/present";
import { createShipment } from "@/lib/shipments/ship";
import { updateShipmentStatus } from "@/lib/shipments/status";
import { detectStuckOrders } from "@/lib/stuck-orders/detect";
import { setWarehouseCutoff } from "@/lib/stuck-orders/settings";
import { seedFailedWarehouseEvents, seedMetricHistory, seedOverviewHistory, seedWaitingReturn, seedWebhookEndpoints, settleWebhookDeliveries, type DemoEndpoints } from "./history";
import { DEMO_SHOP, seedDemoShop } from "./shop";

/** The demo logins (embedded demo mode only; README lists them). */
export const DEMO_PASSWORD = "demo1234";
export const DEMO_USERS: { email: string; name: string; role: DashboardRole }[] = [
  { email: "support@demo.test", name: "Sam Support", role: "support" },
  { email: "warehouse@demo.test", name: "Wren Warehouse", role: "warehouse" },
  { email: "ops@demo.test", name: "Olly Ops", role: "ops" },
  { email: "admin@demo.test", name: "Ada Admin", role: "admin" },
];

export const DEMO_ACCOUNT = "Demo Merchant";
export const COFFEE_ACCOUNT = "Harbour Coffee Co.";

const HOUR = 3_600_000;

type Reference = { warehouses: Map<string, Warehouse>; methods: Map<string, ShippingMethod> };

async function reference(db: Db, environment: Environment): Promise<Reference> {
  const data = await ensureReferenceData(db, environment);
  return { warehouses: new Map(data.warehouses.map((w) => [w.code, w])), methods: new Map(data.shippingMethods.map((m) => [m.name, m])) };
}

async function createSkus(db: Db, ctx: DomainContext, seeds: SkuSeed[], ref: Reference): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const seed of seeds) {
      const [row] = await tx
        .insert(skus)
        .values({ id: newId("sku"), accountId: ctx.accountId, environment: ctx.environment, sku: seed.sku, description: seed.description })
        .returning();
      for (const [code, onHand] of Object.entries(seed.stock)) {
        const warehouse = ref.warehouses.get(code);
        if (warehouse && onHand > 0) await moveStock(tx, ctx, { skuId: row.id, warehouseId: warehouse.id, kind: "receive", reason: "received", delta: { onHand } });
      }
    }
  });
}

/**
 * Plays one order's story through the same domain functions the API and the warehouse use, so the timeline,
 * stock and outbox are real. Only the creation time is moved into the past afterwards (createOrder stamps "now"):
 * every later step is given its own occurred_at, and recorded_at is aligned so the demo reads like history.
 */
async function playOrder(db: Db, seed: OrderSeed, base: Date, ctx: DomainContext, ref: Reference, catalogue: SkuSeed[], index: number): Promise<void> {
  const now = Date.now() - 60_000;
  const at = (hours: number) => new Date(Math.min(base.getTime() + hours * HOUR, now));
  const wms: DomainContext = { ...ctx, source: "wms", actor: "wms" };
  const method = ref.methods.get(seed.method ?? "Parcel Post");
  const carrier: DomainContext = { ...ctx, source: "carrier", actor: method?.carrier ?? "carrier" };
  const price = (sku: string) => catalogue.find((s) => s.sku === sku)?.price;
  const description = (sku: string) => catalogue.find((s) => s.sku === sku)?.description;
  const digits = seed.number.replace(/\D/g, "");

  const { order } = await createOrder(db, ctx, {
    order_number: seed.number,
    reference: `${ctx.environment === "sandbox" ? "SBX" : "F"}-${digits}-1`,
    order_date: base.toISOString(),
    ...(seed.warehouse ? { warehouse_id: ref.warehouses.get(seed.warehouse)?.id } : {}),
    ...(method ? { shipping_method_id: method.id } : {}),
    ship_to: CUSTOMERS[seed.customer % CUSTOMERS.length],
    items: seed.items.map((i) => ({ sku: i.sku, description: description(i.sku), quantity: i.quantity, unit_price: price(i.sku), currency: "AUD" })),
    ...seed.extras,
  });
  await db.update(orders).set({ createdAt: base }).where(eq(orders.id, order.id));
  await db.update(orderEvents).set({ occurredAt: base }).where(eq(orderEvents.orderId, order.id));
  await db.update(operationalExceptions).set({ createdAt: base }).where(eq(operationalExceptions.orderId, order.id));

  const story = seed.story;
  if (story.kind === "processing" || (story.kind === "shipped" && story.pickedAfterHours !== undefined)) {
    await inTransaction(db, (tx) => startPicking(tx, wms, { orderId: order.id, occurredAt: at(story.pickedAfterHours ?? 1), rawStatus: "PICKING" }));
  }
  if (story.kind === "cancelled" || story.kind === "backordered_then_cancelled") {
    await cancelOrder(db, { ...ctx }, order.id, { reason: story.reason });
    await db.update(orderEvents).set({ occurredAt: at(story.afterHours) }).where(sql`${orderEvents.orderId} = ${order.id} and ${orderEvents.type} = 'cancelled'`);
  }
  if (story.kind === "shipped") {
    const prefix = method?.carrier === "startrack" ? "ST" : "AP";
    const shipmentIds: string[] = [];
    for (const [n, plan] of story.shipments.entries()) {
      const parcels = Array.from({ length: plan.parcels ?? 1 }, (_, p) => ({
        trackingNumber: ctx.environment === "sandbox" ? undefined : `${prefix}${digits}${String(index).padStart(2, "0")}${n + 1}${p + 1}`,
        weight: { value: 0.4 + p * 0.35, unit: "kg" },
      }));
      const { shipment } = await inTransaction(db, (tx) =>
        createShipment(tx, ctx.environment === "sandbox" ? { ...ctx, source: "sandbox" } : wms, {
          orderId: order.id,
          items: plan.items,
          parcels,
          cost: { amount: (9.95 + n * 4).toFixed(2), currency: "AUD" },
          shippedAt: at(plan.afterHours),
          rawStatus: ctx.environment === "sandbox" ? undefined : "SHIPPED",
        }),
      );
      shipmentIds.push(shipment.id);
      for (const update of plan.updates ?? []) {
        await inTransaction(db, (tx) => updateShipmentStatus(tx, carrier, { shipmentId: shipment.id, status: update.status, occurredAt: at(update.afterHours), rawStatus: update.raw }));
      }
    }
    if (story.staleReport) {
      const { shipment, status, afterHours, raw } = story.staleReport;
      await inTransaction(db, (tx) => updateShipmentStatus(tx, carrier, { shipmentId: shipmentIds[shipment], status, occurredAt: at(afterHours), rawStatus: raw }));
    }
    await db.update(shipments).set({ createdAt: sql`${shipments.shippedAt}` }).where(eq(shipments.orderId, order.id));
    await storeShipmentDocuments(db, shipmentIds);
  }
  // An order still waiting entered its stage when its story put it there, not when the seed ran: the stuck-order
  // detector measures from this, so a demo started any day shows the same waits.
  if (story.kind === "received" || story.kind === "held" || story.kind === "backordered" || story.kind === "processing") {
    await db.update(orders).set({ stageEnteredAt: story.kind === "processing" ? at(story.pickedAfterHours) : base }).where(eq(orders.id, order.id));
  }
  await db.update(orderEvents).set({ recordedAt: sql`${orderEvents.occurredAt}` }).where(eq(orderEvents.orderId, order.id));
}

/** A time `daysAgo` days back, in working hours, spread a little per order so the list reads naturally. */
function orderTime(daysAgo: number, index: number): Date {
  const now = Date.now();
  if (daysAgo === 0) return new Date(now - (2 + (index % 5)) * HOUR - (index * 7 % 50) * 60_000);
  return new Date(now - daysAgo * 24 * HOUR - ((index * 37) % 300) * 60_000);
}

type SeededAccount = { ctx: DomainContext; ref: Reference };

async function seedAccount(
  db: Db,
  name: string,
  environment: Environment,
  catalogue: SkuSeed[] | null,
  stories: OrderSeed[],
  beforeOrders?: (ctx: DomainContext) => Promise<void>,
): Promise<SeededAccount> {
  const accountId = await ensureAccount(db, name);
  const ref = await reference(db, environment);
  const ctx: DomainContext = { accountId, environment, source: "api", actor: environment === "sandbox" ? "sandbox-partner" : "erp-integration" };
  if (catalogue) await createSkus(db, { ...ctx, source: "system", actor: "seed" }, catalogue, ref);
  else await provisionSandboxAccount(db, accountId);
  await beforeOrders?.(ctx);
  const ordered = stories.map((seed, i) => ({ seed, base: orderTime(seed.daysAgo, i), i })).sort((a, b) => a.base.getTime() - b.base.getTime());
  for (const { seed, base, i } of ordered) await playOrder(db, seed, base, ctx, ref, catalogue ?? DEMO_SKUS, i);
  return { ctx, ref };
}

async function orderIdOf(db: Db, ctx: DomainContext, orderNumber: string): Promise<string> {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.accountId, ctx.accountId), eq(orders.environment, ctx.environment), eq(orders.orderNumber, orderNumber)));
  if (!row) throw new Error(`demo order ${orderNumber} is missing`);
  return row.id;
}

/**
 * What the people on duty should find: the Shopify shop with its synced, held and dead-lettered orders, webhook
 * deliveries (one endpoint failing, one dead letter), failed warehouse reports, a return nobody inspected, three
 * days of metrics with an incident, and — found by one detector pass, as the worker would — orders stuck at
 * several stages.
 */
async function seedOperations(db: Db, merchant: SeededAccount, endpoints: DemoEndpoints): Promise<void> {
  const { ctx, ref } = merchant;
  await seedDemoShop(db, ctx, ref.warehouses);
  await settleWebhookDeliveries(db, ctx.accountId, endpoints);
  const syd = ref.warehouses.get("SYD");
  const mel = ref.warehouses.get("MEL");
  // The warehouses' daily cut-offs (their own time), which ops edit on the thresholds page.
  if (syd) await setWarehouseCutoff(db, { warehouseId: syd.id, cutoffTime: "14:00" });
  if (mel) await setWarehouseCutoff(db, { warehouseId: mel.id, cutoffTime: "15:30" });
  if (syd) await seedFailedWarehouseEvents(db, ctx, await orderIdOf(db, ctx, "SO-100412"), syd.id);
  await seedWaitingReturn(db, ctx, await orderIdOf(db, ctx, "SO-100401"), "WIDGET-BLUE-M");
  await seedMetricHistory(db, { accountId: ctx.accountId, environment: ctx.environment, shop: DEMO_SHOP });
  await detectStuckOrders(db);
  await seedOverviewHistory(db);
}

/** Whether the demo should be seeded: an embedded database with no orders and no demo account yet. */
export async function needsDemoData(db: Db): Promise<boolean> {
  const [{ value: orderCount }] = await db.select({ value: count() }).from(orders);
  if (Number(orderCount) > 0) return false;
  const [demo] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, DEMO_ACCOUNT));
  return !demo;
}

/** The demo logins, when nobody can sign in yet. */
export async function seedDemoUsers(db: Db): Promise<boolean> {
  const [{ value }] = await db.select({ value: count() }).from(dashboardUsers);
  if (Number(value) > 0) return false;
  for (const user of DEMO_USERS) await upsertDashboardUser(db, { ...user, password: DEMO_PASSWORD });
  return true;
}

/**
 * The embedded demo: reference data in both environments, "Demo Merchant" with stock and orders in every status
 * (live and sandbox), its Shopify shop and the operations around it (seedOperations), a second account so the
 * dashboard shows several tenants, and the demo logins.
 * Idempotent: does nothing once orders exist.
 */
export async function seedDemoData(db: Db): Promise<{ seeded: boolean }> {
  await seedDemoUsers(db);
  if (!(await needsDemoData(db))) return { seeded: false };
  let endpoints: DemoEndpoints | undefined;
  const merchant = await seedAccount(db, DEMO_ACCOUNT, "live", DEMO_SKUS, DEMO_ORDERS, async (ctx) => {
    endpoints = await seedWebhookEndpoints(db, ctx);
  });
  await seedAccount(db, COFFEE_ACCOUNT, "live", COFFEE_SKUS, COFFEE_ORDERS);
  await seedAccount(db, DEMO_ACCOUNT, "sandbox", null, SANDBOX_ORDERS);
  if (endpoints) await seedOperations(db, merchant, endpoints);
  return { seeded: true };
}
