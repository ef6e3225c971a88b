import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channelOrders, operationalExceptions, orderEvents, orders, shipments, shopifyFulfillmentPushes, skus, type Warehouse } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { connectShop } from "@/lib/channels/shopify/connections";
import { signShopifyBody, receiveShopifyWebhook } from "@/lib/channels/shopify/intake";
import { drainShopifyInbox } from "@/lib/channels/shopify/process";
import { openShop } from "@/lib/channels/shopify/push/common";
import { discoverShipments, processFulfillmentPush } from "@/lib/channels/shopify/push/fulfillment";
import type { DomainContext } from "@/lib/context";
import { env } from "@/lib/env";
import { createRoutingRule } from "@/lib/routing/rules";
import { startPicking } from "@/lib/shipments/pick";
import { storeShipmentDocuments } from "@/lib/shipments/present";
import { createShipment } from "@/lib/shipments/ship";
import { upsertMapping } from "@/lib/sku-map/mappings";
import { CUSTOMERS } from "./scenarios";

/**
 * The demo's Shopify shop: a connected store whose orders came in through the real webhook intake (signed,
 * inboxed, processed by the worker's own code), a SKU map, routing rules, a group of orders held on one SKU nobody
 * mapped, and a fulfillment push that died. The shop's Admin API is on a host that never resolves (`.example`), so
 * the hub's pushes fail as they would against a store that cannot be reached, and no demo ever calls a real shop.
 */

export const DEMO_SHOP = "demo-merchant.myshopify.com";
const ADMIN_URL = "https://demo-merchant.shop.example/admin/api/2026-10/graphql.json";
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Shopify's SKUs for the merchant's products (the shop names them its own way: hence the SKU map). */
const SHOP_SKUS: { channelSku: string; variant: number; sku: string }[] = [
  { channelSku: "SHOP-WIDGET-BLUE", variant: 44100001, sku: "WIDGET-BLUE-M" },
  { channelSku: "SHOP-WIDGET-RED", variant: 44100002, sku: "WIDGET-RED-S" },
  { channelSku: "SHOP-MUG", variant: 44100003, sku: "MUG-ENAMEL" },
  { channelSku: "SHOP-TEE-BLACK-L", variant: 44100004, sku: "TEE-BLACK-L" },
];

/** A gift set the shop started selling before anyone mapped it: every order with it waits on the hold. */
export const UNMAPPED_SHOP_SKU = "SHOP-GIFTSET-XMAS";

type ShopOrder = { number: number; hoursAgo: number; customer: number; lines: { channelSku: string; quantity: number; price: string }[] };

const SYNCED: ShopOrder[] = [
  { number: 1041, hoursAgo: 70, customer: 2, lines: [{ channelSku: "SHOP-WIDGET-BLUE", quantity: 1, price: "19.99" }] },
  { number: 1042, hoursAgo: 52, customer: 5, lines: [{ channelSku: "SHOP-MUG", quantity: 2, price: "24.00" }] },
  { number: 1043, hoursAgo: 30, customer: 7, lines: [{ channelSku: "SHOP-WIDGET-RED", quantity: 1, price: "17.50" }, { channelSku: "SHOP-MUG", quantity: 1, price: "24.00" }] },
  { number: 1044, hoursAgo: 9, customer: 3, lines: [{ channelSku: "SHOP-TEE-BLACK-L", quantity: 1, price: "39.00" }] },
  { number: 1045, hoursAgo: 3, customer: 8, lines: [{ channelSku: "SHOP-WIDGET-BLUE", quantity: 2, price: "19.99" }] },
];

const HELD: ShopOrder[] = [
  { number: 1046, hoursAgo: 6, customer: 0, lines: [{ channelSku: UNMAPPED_SHOP_SKU, quantity: 1, price: "59.00" }] },
  { number: 1047, hoursAgo: 5, customer: 4, lines: [{ channelSku: UNMAPPED_SHOP_SKU, quantity: 2, price: "59.00" }, { channelSku: "SHOP-MUG", quantity: 1, price: "24.00" }] },
  { number: 1048, hoursAgo: 3, customer: 6, lines: [{ channelSku: UNMAPPED_SHOP_SKU, quantity: 1, price: "59.00" }] },
  { number: 1049, hoursAgo: 2, customer: 9, lines: [{ channelSku: UNMAPPED_SHOP_SKU, quantity: 1, price: "59.00" }] },
];

function payloadOf(order: ShopOrder, at: Date) {
  const to = CUSTOMERS[order.customer % CUSTOMERS.length];
  const [first, ...last] = (to.name ?? "Customer").split(" ");
  return {
    id: 5_900_000_000 + order.number,
    admin_graphql_api_id: `gid://shopify/Order/${5_900_000_000 + order.number}`,
    name: `#${order.number}`,
    email: to.email ?? null,
    created_at: at.toISOString(),
    updated_at: at.toISOString(),
    cancelled_at: null,
    currency: "AUD",
    tags: "",
    line_items: order.lines.map((line, i) => {
      const known = SHOP_SKUS.find((s) => s.channelSku === line.channelSku);
      return {
        id: 13_000_000_000 + order.number * 10 + i,
        variant_id: known ? known.variant : 44109999,
        sku: line.channelSku,
        title: line.channelSku === UNMAPPED_SHOP_SKU ? "Christmas gift set" : line.channelSku,
        quantity: line.quantity,
        price: line.price,
        requires_shipping: true,
      };
    }),
    shipping_address: {
      first_name: first,
      last_name: last.join(" "),
      company: to.company ?? null,
      address1: to.address1,
      address2: to.address2 ?? null,
      city: to.city,
      province_code: to.state ?? null,
      zip: to.postcode ?? null,
      country_code: to.country,
      phone: to.phone ?? null,
    },
    shipping_lines: [{ title: "Standard", code: "standard" }],
  };
}

/** Posts one orders/create webhook through the intake, exactly as Shopify signs it. */
async function sendOrder(db: Db, secret: string, order: ShopOrder, at: Date): Promise<void> {
  const body = Buffer.from(JSON.stringify(payloadOf(order, at)));
  const headers = new Headers({
    "x-shopify-shop-domain": DEMO_SHOP,
    "x-shopify-topic": "orders/create",
    "x-shopify-hmac-sha256": signShopifyBody(body, secret),
    "x-shopify-webhook-id": `demo-${order.number}`,
    "x-shopify-api-version": "2026-10",
  });
  await receiveShopifyWebhook(db, headers, body);
}

/** Moves an order's history back to `at` (the intake stamps "now"): created, stage entered, timeline, exceptions. */
async function backdate(db: Db, orderId: string, at: Date): Promise<void> {
  await db.update(orders).set({ createdAt: at, stageEnteredAt: at }).where(eq(orders.id, orderId));
  await db.update(orderEvents).set({ occurredAt: at, recordedAt: at }).where(eq(orderEvents.orderId, orderId));
  await db.update(operationalExceptions).set({ createdAt: at }).where(eq(operationalExceptions.orderId, orderId));
}

export type DemoShop = { connectionId: string; syncedOrderIds: string[]; heldOrderIds: string[]; deadPushOrderId: string | null };

/**
 * The shop, its SKU map and the merchant's routing rules, then its orders: five synced (three shipped, one of them
 * told to Shopify late and one whose push died), four held on the unmapped gift set.
 */
export async function seedDemoShop(db: Db, ctx: DomainContext, warehouses: Map<string, Warehouse>): Promise<DemoShop> {
  const secret = randomBytes(24).toString("hex");
  const { connection } = await connectShop(db, {
    shopDomain: DEMO_SHOP,
    accountId: ctx.accountId,
    environment: ctx.environment,
    webhookSecret: secret,
    adminToken: `shpat_demo_${randomBytes(12).toString("hex")}`,
    adminUrl: ADMIN_URL,
  });

  const catalogue = await db.select({ id: skus.id, sku: skus.sku }).from(skus).where(and(eq(skus.accountId, ctx.accountId), eq(skus.environment, ctx.environment)));
  for (const shopSku of SHOP_SKUS) {
    const target = catalogue.find((s) => s.sku === shopSku.sku);
    if (target) {
      await upsertMapping(db, ctx, { channelSku: shopSku.channelSku, variantId: `gid://shopify/ProductVariant/${shopSku.variant}`, skuId: target.id, warehouseItemCode: null, active: true });
    }
  }

  const syd = warehouses.get("SYD");
  const mel = warehouses.get("MEL");
  if (syd && mel) {
    await createRoutingRule(db, ctx, { name: "Victoria and Tasmania ship from Melbourne", priority: 10, active: true, conditions: { states: ["VIC", "TAS"] }, warehouse_ids: [mel.id, syd.id] });
    await createRoutingRule(db, ctx, { name: "Gadgets ship from Sydney (insured stock)", priority: 20, active: true, conditions: { skus: ["GADGET-PRO"] }, warehouse_ids: [syd.id] });
    await createRoutingRule(db, ctx, { name: "Large orders over $500 from Sydney", priority: 30, active: false, conditions: { min_order_value: 500 }, warehouse_ids: [syd.id] });
    // With rules in place only a matching rule routes: the last one catches every other order.
    await createRoutingRule(db, ctx, { name: "Everything else: Sydney, then Melbourne", priority: 90, active: true, conditions: {}, warehouse_ids: [syd.id, mel.id] });
  }

  const now = Date.now();
  const sent = [...SYNCED, ...HELD].map((order) => ({ order, at: new Date(now - order.hoursAgo * HOUR) })).sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { order, at } of sent) await sendOrder(db, secret, order, at);
  await drainShopifyInbox(db, { accountId: ctx.accountId });

  const linked = await db
    .select({ name: channelOrders.shopifyOrderName, orderId: channelOrders.orderId })
    .from(channelOrders)
    .where(eq(channelOrders.connectionId, connection.id));
  const orderOf = (n: number) => linked.find((l) => l.name === `#${n}`)?.orderId ?? null;
  for (const { order, at } of sent) {
    const id = orderOf(order.number);
    if (id) await backdate(db, id, at);
  }

  // The three oldest synced orders shipped; their pushes: told Shopify, told late (still owed), died.
  const wms: DomainContext = { ...ctx, source: "wms", actor: "wms" };
  const shipped: { orderId: string; shipmentId: string }[] = [];
  for (const [i, order] of SYNCED.slice(0, 3).entries()) {
    const orderId = orderOf(order.number);
    if (!orderId) continue;
    const pickedAt = new Date(now - (order.hoursAgo - 2) * HOUR);
    // The last one shipped 40 minutes ago: Shopify has not heard yet.
    const shippedAt = i === 2 ? new Date(now - 40 * MINUTE) : new Date(now - (order.hoursAgo - 6) * HOUR);
    await inTransaction(db, (tx) => startPicking(tx, wms, { orderId, occurredAt: pickedAt, rawStatus: "PICKING" }));
    const { shipment } = await inTransaction(db, (tx) =>
      createShipment(tx, wms, { orderId, parcels: [{ trackingNumber: `AP59${order.number}01`, weight: { value: 0.6, unit: "kg" } }], shippedAt, rawStatus: "SHIPPED" }),
    );
    // Created when it shipped; updated_at stays "now" so the push's scan of changed shipments finds it.
    await db.update(shipments).set({ createdAt: shippedAt }).where(eq(shipments.id, shipment.id));
    await db.update(orderEvents).set({ recordedAt: sql`${orderEvents.occurredAt}` }).where(eq(orderEvents.orderId, orderId));
    await storeShipmentDocuments(db, [shipment.id]);
    shipped.push({ orderId, shipmentId: shipment.id });
  }
  await discoverShipments(db, connection);
  const pushes = shipped.length ? await db.select().from(shopifyFulfillmentPushes).where(inArray(shopifyFulfillmentPushes.shipmentId, shipped.map((s) => s.shipmentId))) : [];
  const pushOf = (shipmentId: string | undefined) => pushes.find((p) => p.shipmentId === shipmentId);

  // #1041: Shopify confirmed the fulfillment long ago (the demo has no shop to ask, so its answer is written as received).
  const told = pushOf(shipped[0]?.shipmentId);
  if (told) {
    await db
      .update(shopifyFulfillmentPushes)
      .set({ state: "synced", shopifyFulfillmentId: "gid://shopify/Fulfillment/5100001041", fulfilledAt: new Date(now - 63 * HOUR), syncedShipmentUpdatedAt: sql`(select updated_at from ${shipments} where id = ${told.shipmentId})`, attempts: 1 })
      .where(eq(shopifyFulfillmentPushes.id, told.id));
  }
  // #1042: retried until the schedule ran out; the last try, made now through the push itself, fails for good.
  const dying = pushOf(shipped[1]?.shipmentId);
  let deadPushOrderId: string | null = null;
  if (dying) {
    const attempts = env().SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS.length + 1;
    const [push] = await db.update(shopifyFulfillmentPushes).set({ attempts, lastError: "Shopify could not be reached", lastErrorKind: "transient" }).where(eq(shopifyFulfillmentPushes.id, dying.id)).returning();
    await processFulfillmentPush(db, push, await openShop(db, connection.id));
    deadPushOrderId = push.orderId;
  }
  // #1043 stays owed (pending): it shipped 40 minutes ago and the channel was never told.

  return {
    connectionId: connection.id,
    syncedOrderIds: SYNCED.map((o) => orderOf(o.number)).filter((id): id is string => Boolean(id)),
    heldOrderIds: HELD.map((o) => orderOf(o.number)).filter((id): id is string => Boolean(id)),
    deadPushOrderId,
  };
}
