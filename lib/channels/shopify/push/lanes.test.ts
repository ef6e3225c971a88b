import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { shopifyFulfillmentPushes } from "@/db/schema";
import { setEnvForTests } from "@/lib/env";
import type { LoopContext } from "@/lib/worker/types";
import { createSku, createTenant } from "@/e2e/support/factories";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "@/e2e/support/shopify/fake-admin";
import { connectFakeShop, createShopifyOrder, ship } from "@/e2e/support/shopify/fake-shop";
import { fulfillmentQueue } from "./fulfillment";
import { shopLanesLoop } from "./lanes";

let slow: FakeShopifyAdmin;
let fast: FakeShopifyAdmin;

beforeAll(async () => {
  // The held call must outlast the test, not time out and be retried.
  setEnvForTests({ SHOPIFY_ADMIN_TIMEOUT_MS: "60000" });
  slow = await startFakeShopifyAdmin();
  fast = await startFakeShopifyAdmin();
});

afterAll(async () => {
  setEnvForTests({ SHOPIFY_ADMIN_TIMEOUT_MS: undefined });
  await slow.stop();
  await fast.stop();
});

const sleep = (ms: number) => new Promise<boolean>((r) => setTimeout(() => r(false), ms));

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe("push worker loop", () => {
  it("a shop that answers slowly holds up only its own pushes: another shop's shipment goes out meanwhile", async () => {
    const tenant = await createTenant();
    await createSku(tenant, "LANE-1", { [tenant.warehouses.syd]: 50 });
    const slowShop = await connectFakeShop(tenant, slow);
    const fastShop = await connectFakeShop(tenant, fast);
    const loop = shopLanesLoop("test-fulfillment-push", fulfillmentQueue, { accountId: tenant.accountId });
    let woken = 0;
    const ctx: LoopContext = { db: getDb(), signal: new AbortController().signal, wake: () => void (woken += 1) };
    /** One tick, which must come back whatever the shops are doing. */
    const tick = async () => {
      const returned = await Promise.race([loop.tick(ctx).then(() => true), sleep(5_000)]);
      expect(returned, "a tick waited for a shop's pushes").toBe(true);
    };

    const release = slow.hold();
    const first = await createShopifyOrder(tenant, slowShop, slow, [{ sku: "LANE-1", quantity: 1 }]);
    await ship(tenant, first.orderId, { parcels: [{ trackingNumber: "LANE0001" }] });
    await until("the slow shop is asked", async () => (await tick(), slow.stats.requests > 0));

    const second = await createShopifyOrder(tenant, slowShop, slow, [{ sku: "LANE-1", quantity: 1 }]);
    const secondShipment = await ship(tenant, second.orderId, { parcels: [{ trackingNumber: "LANE0002" }] });
    const other = await createShopifyOrder(tenant, fastShop, fast, [{ sku: "LANE-1", quantity: 1 }]);
    await ship(tenant, other.orderId, { parcels: [{ trackingNumber: "LANE0003" }] });
    await until("the other shop's fulfillment is created", async () => (await tick(), fast.fulfillmentsOf(other.shopifyOrderId).length === 1));

    expect(slow.fulfillments).toHaveLength(0);
    // While this worker runs the slow shop's lane it claims none of that shop's newer rows.
    const [waiting] = await getDb().select().from(shopifyFulfillmentPushes).where(eq(shopifyFulfillmentPushes.shipmentId, secondShipment.shipment.id));
    expect(waiting).toMatchObject({ state: "pending", attempts: 0 });

    release();
    await loop.drain?.();
    expect(woken).toBeGreaterThan(0);
    await until("the slow shop has both fulfillments", async () => (await tick(), slow.fulfillments.length === 2));
    await loop.drain?.();
    expect(slow.fulfillmentsOf(first.shopifyOrderId)).toHaveLength(1);
    expect(slow.fulfillmentsOf(second.shopifyOrderId)).toHaveLength(1);
    expect(fast.fulfillmentsOf(other.shopifyOrderId)).toHaveLength(1);
  });
});
