import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { channelOrders, shopifySyncCursors, skuMappings, type ShopConnection } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { connectShop, numericIdOf } from "@/lib/channels/shopify/connections";
import { newId } from "@/lib/ids";
import { createOrder } from "@/lib/orders/create";
import { createShipment, type ParcelInput } from "@/lib/shipments/ship";
import { unique, type TestTenant } from "../factories";
import type { FakeShopifyAdmin } from "./fake-admin";

/*
 * Builds Shopify-channel rows for push-back tests through the real domain functions: a connected shop (token sealed
 * like production), Shopify orders turned into hub orders with their line item ids, shipments from the warehouse.
 */

export const TEST_LOCATION = "gid://shopify/Location/7001";

export async function connectFakeShop(tenant: TestTenant, fake: FakeShopifyAdmin, options: { locations?: { location: string; warehouse: string }[] } = {}): Promise<ShopConnection> {
  const { connection } = await connectShop(getDb(), {
    shopDomain: `${unique("shop").toLowerCase()}.myshopify.com`,
    environment: tenant.environment,
    accountId: tenant.accountId,
    webhookSecret: "whsec-test",
    adminToken: fake.accessToken,
    adminUrl: fake.url,
    locations: options.locations ?? [{ location: TEST_LOCATION, warehouse: tenant.warehouses.syd }],
  });
  return connection;
}

export type ShopifyHubOrder = { orderId: string; shopifyOrderId: string; lineItemIds: string[] };

/**
 * A Shopify order (in the fake shop, one fulfillment order at `locationId`, or one per location when lines name
 * their own, as Shopify's routing splits an order) and the hub order the intake would have made of it: channel
 * "shopify", lines carrying the Shopify line item id and SKU, and the channel_orders link.
 */
export async function createShopifyOrder(
  tenant: TestTenant,
  connection: ShopConnection,
  fake: FakeShopifyAdmin,
  lines: { sku: string; quantity: number; locationId?: string }[],
  locationId = TEST_LOCATION,
): Promise<ShopifyHubOrder> {
  const db = getDb();
  const shop = fake.addOrder({ locationId, lines });
  const name = `#${shop.orderNumericId}`;
  const { order } = await createOrder(
    db,
    { ...tenant.ctx, source: "shopify", actor: connection.shopDomain },
    {
      order_number: name,
      reference: `shopify:${connection.shopDomain}:${shop.orderNumericId}`,
      shipping_method_id: tenant.shippingMethods.express,
      ship_to: { name: "Jo Buyer", address1: "1 George St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
      items: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    },
    { channel: "shopify", channelLines: lines.map((l, i) => ({ channelSku: l.sku, channelLineId: numericIdOf(shop.lineItemIds[i]) })) },
  );
  await db.insert(channelOrders).values({
    id: newId("cho"),
    accountId: tenant.accountId,
    environment: tenant.environment,
    connectionId: connection.id,
    shopDomain: connection.shopDomain,
    shopifyOrderId: shop.orderNumericId,
    shopifyOrderName: name,
    orderId: order.id,
    lines: lines.map((l, i) => ({ lineItemId: numericIdOf(shop.lineItemIds[i]), variantId: null, sku: l.sku, title: null, quantity: l.quantity, price: null })),
  });
  return { orderId: order.id, shopifyOrderId: shop.orderId, lineItemIds: shop.lineItemIds };
}

export async function ship(tenant: TestTenant, orderId: string, input: { items?: { sku: string; quantity: number }[]; parcels?: ParcelInput[]; externalId?: string } = {}) {
  return inTransaction(getDb(), (tx) => createShipment(tx, { ...tenant.ctx, source: "wms", actor: "wms" }, { orderId, ...input }));
}

/** A SKU map row linking a Shopify variant to the account's SKU. */
export async function mapVariant(tenant: TestTenant, input: { skuId: string; channelSku: string; variantId: string | null }) {
  const [row] = await getDb()
    .insert(skuMappings)
    .values({ id: newId("smap"), accountId: tenant.accountId, environment: tenant.environment, channel: "shopify", channelSku: input.channelSku, variantId: input.variantId, skuId: input.skuId })
    .returning();
  return row;
}

/**
 * Runs push rounds (scoped by the caller to its own account) until everything committed before this call has been
 * scanned by the connection's `kind` cursor and a round finds nothing left to do. "A round handled nothing" alone is
 * not enough on a shared PostgreSQL: another test file's transaction still in flight holds the commit-safe horizon
 * back, and a round can find nothing while this test's rows wait behind it.
 */
export async function pushUntilSettled(round: () => Promise<number>, connection: Pick<ShopConnection, "id">, kind: "shipments" | "inventory", timeoutMs = 30_000): Promise<void> {
  const db = getDb();
  const [{ mark }] = await queryRows<{ mark: string }>(db, sql`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as mark`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const handled = await round();
    if (handled === 0) {
      const [cursor] = await queryRows<{ passed: boolean }>(
        db,
        sql`select watermark >= ${mark}::timestamptz as passed from ${shopifySyncCursors} where connection_id = ${connection.id} and kind = ${kind}`,
      );
      if (cursor?.passed) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (Date.now() > deadline) throw new Error(`push rounds for ${kind} did not settle within ${timeoutMs} ms`);
  }
}
