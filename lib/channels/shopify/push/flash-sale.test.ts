import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { shopifyFulfillmentPushes } from "@/db/schema";
import { setEnvForTests } from "@/lib/env";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { ShopifyCostLimiter, type CostLimiter } from "@/lib/channels/shopify/admin/limiter";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "@/e2e/support/shopify/fake-admin";
import { connectFakeShop, createShopifyOrder, ship, type ShopifyHubOrder } from "@/e2e/support/shopify/fake-shop";
import { runFulfillmentPush } from "./fulfillment";

/*
 * A flash sale: hundreds of Shopify orders ship within a minute against one shop's cost bucket (scaled down: 100
 * points, 50/s). Two workers with their own limiter instances (as two processes would have) share the budget
 * through the database store. Shopify must never have to throttle, and every shipment becomes exactly one fulfillment.
 */

const BUCKET = { maximumAvailable: 100, restoreRate: 50, costs: { order: { requested: 2, actual: 1 }, fulfillmentCreate: { requested: 2, actual: 2 } } };

/** A limiter that lets everything through: the control that proves the test can fail. */
const noLimiter: CostLimiter = { reserve: async () => {}, observe: async () => {}, backoff: async () => {} };

async function sale(tenant: TestTenant, fake: FakeShopifyAdmin, count: number): Promise<ShopifyHubOrder[]> {
  const connection = await connectFakeShop(tenant, fake);
  const orders: ShopifyHubOrder[] = [];
  for (let i = 0; i < count; i++) {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "DROP-1", quantity: 1 }]);
    await ship(tenant, order.orderId, { parcels: [{ trackingNumber: `FS${tenant.accountId.slice(-6)}${i}` }] });
    orders.push(order);
  }
  return orders;
}

/** Workers pushing the tenant's rows only: other test files sharing the database must not push them first. */
async function drain(tenant: TestTenant, workers: CostLimiter[], until: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    workers.map(async (limiter) => {
      while (Date.now() < deadline && !(await until())) {
        const handled = await runFulfillmentPush(getDb(), { limiter, limit: 40, concurrency: 8, accountId: tenant.accountId });
        if (handled === 0) await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
}

describe("flash sale", () => {
  let fake: FakeShopifyAdmin;
  let control: FakeShopifyAdmin;

  beforeAll(async () => {
    setEnvForTests({ SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS: "0,0,0,0,0,0" });
    fake = await startFakeShopifyAdmin(BUCKET);
    // A tighter bucket for the control: embedded PGlite serialises the pushes, so a small burst must already overflow it.
    control = await startFakeShopifyAdmin({ ...BUCKET, maximumAvailable: 20, restoreRate: 10 });
  });

  afterAll(async () => {
    await fake.stop();
    await control.stop();
  });

  it("keeps 200 shipped orders inside the shop's cost budget and pushes each fulfillment exactly once", { timeout: 240_000 }, async () => {
    const tenant = await createTenant();
    await createSku(tenant, "DROP-1", { [tenant.warehouses.syd]: 1000 });
    const orders = await sale(tenant, fake, 200);

    const workers = [new ShopifyCostLimiter({ db: getDb() }), new ShopifyCostLimiter({ db: getDb() })];
    const started = Date.now();
    await drain(tenant, workers, async () => fake.fulfillments.length >= orders.length, 120_000);
    const seconds = (Date.now() - started) / 1000;

    expect(fake.stats.throttled).toBe(0);
    expect(fake.stats.http429).toBe(0);
    for (const order of orders) expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
    expect(fake.fulfillments).toHaveLength(200);
    const rows = await getDb().select().from(shopifyFulfillmentPushes).where(eq(shopifyFulfillmentPushes.accountId, tenant.accountId));
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.state === "synced" && r.shopifyFulfillmentId)).toBe(true);
    // 600 points of actual cost at 50/s with a 100-point bucket cannot be done in much less than 10 s without throttling.
    expect(seconds).toBeGreaterThan(8);
  });

  it("without the limiter the same kind of burst gets throttled (the control)", { timeout: 120_000 }, async () => {
    const tenant = await createTenant();
    await createSku(tenant, "DROP-1", { [tenant.warehouses.syd]: 1000 });
    const orders = await sale(tenant, control, 60);
    await drain(tenant, [noLimiter, noLimiter], async () => control.fulfillments.length >= orders.length || control.stats.throttled > 0, 30_000);
    expect(control.stats.throttled).toBeGreaterThan(0);
  });
});
