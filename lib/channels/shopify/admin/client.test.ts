import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "@/e2e/support/shopify/fake-admin";
import { TEST_LOCATION } from "@/e2e/support/shopify/fake-shop";
import { ShopifyAdminClient } from "./client";
import { AdminApiError, asAdminError } from "./errors";
import type { CostLimiter } from "./limiter";
import { fulfillmentCreate, orderFulfillmentOrders } from "./operations";

let fake: FakeShopifyAdmin;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin();
});

afterAll(async () => {
  await fake.stop();
});

function client(limiter: CostLimiter): ShopifyAdminClient {
  return new ShopifyAdminClient({ shopDomain: "client-test.myshopify.com", adminUrl: fake.url, accessToken: fake.accessToken, limiter, maxAttempts: 3 });
}

describe("Admin API client", () => {
  it("a mutation Shopify answered stays answered when its bucket cannot be recorded (no second fulfillment)", async () => {
    let observed = 0;
    const brokenBookkeeping: CostLimiter = {
      reserve: async () => {},
      observe: async () => {
        observed += 1;
        throw new Error("the limiter's store is down");
      },
      backoff: async () => {},
    };
    const order = fake.addOrder({ locationId: TEST_LOCATION, lines: [{ sku: "A", quantity: 2 }] });
    const c = client(brokenBookkeeping);
    const [fo] = (await orderFulfillmentOrders(c, order.orderId))!;
    const id = await fulfillmentCreate(c, {
      lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 2 }] }],
      trackingInfo: { company: null, numbers: ["T1"], urls: [] },
      notifyCustomer: true,
    });

    expect(fake.fulfillmentsOf(order.orderId).map((f) => f.id)).toEqual([id]);
    expect(fake.stats.byField.fulfillmentCreate).toBe(1);
    expect(observed).toBe(2);
  });

  it("a failure before the call (the limiter's store) is transient and names its cause", async () => {
    const unavailable: CostLimiter = {
      reserve: async () => {
        throw new Error("Failed query: insert into shopify_rate_limits …", { cause: new Error("connection refused") });
      },
      observe: async () => {},
      backoff: async () => {},
    };
    const before = fake.stats.requests;
    const error = await orderFulfillmentOrders(client(unavailable), "gid://shopify/Order/1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ kind: "transient", code: "INTERNAL" });
    // The cause leads: the wrapper's query text alone would hide why it failed.
    expect((error as AdminApiError).message).toMatch(/^connection refused ← Failed query/);
    expect(fake.stats.requests).toBe(before);
  });

  it("keeps a Shopify error as it is", () => {
    const permanent = new AdminApiError("permanent", "USER_ERROR", "refused");
    expect(asAdminError(permanent)).toBe(permanent);
  });
});
