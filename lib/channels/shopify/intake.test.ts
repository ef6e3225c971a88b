import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { allocations, metricSamples, operationalExceptions, orders } from "@/db/schema";
import { createShippingMethod, createSku, unique } from "@/e2e/support/factories";
import { stockOf } from "@/e2e/support/inventory";
import { channelOrdersOf, connectedShop, deliver, deliveriesOf, hubOrdersFor, onlyHubOrder, openExceptions, sendWebhook, timelineTypes } from "@/e2e/support/shopify/intake";
import { shopifyId, shopifyOrder } from "@/e2e/support/shopify/webhooks";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { setEnvForTests } from "@/lib/env";
import { METRIC } from "@/lib/metrics/record";
import { defaultShippingMethod } from "@/lib/orders/resolve";
import { createRoutingRule } from "@/lib/routing/rules";
import { upsertMapping } from "@/lib/sku-map/mappings";
import { claimDeliveries, drainShopifyInbox, processDelivery, retryDelivery } from "./process";
import { rerunHeldOrders } from "./sku-map";

beforeAll(() => {
  setEnvForTests({ SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS: "0,0" });
});

/** A shop whose account has TEE-RED (mapped from Shopify SKU SHOP-RED) with stock in Sydney only. */
async function shopWithMappedSku(stock: { syd?: number; mel?: number } = { syd: 10 }) {
  const s = await connectedShop();
  const t = s.tenant;
  const sku = await createSku(t, "TEE-RED", {
    ...(stock.syd ? { [t.warehouses.syd]: stock.syd } : {}),
    ...(stock.mel ? { [t.warehouses.mel]: stock.mel } : {}),
  });
  const variantId = shopifyId();
  await upsertMapping(getDb(), t.ctx, { channelSku: "SHOP-RED", variantId: `gid://shopify/ProductVariant/${variantId}`, skuId: sku.id, warehouseItemCode: null, active: true });
  return { ...s, sku, variantId };
}

describe("orders/create", () => {
  it("becomes a routed, allocated hub order with Shopify's fields mapped (§10)", async () => {
    const s = await shopWithMappedSku();
    const method = await createShippingMethod(getDb(), s.tenant.environment, { name: unique("Shopify Express") });
    const payload = shopifyOrder({
      name: "#1001",
      email: "ann@example.test",
      created_at: "2026-11-20T01:02:03Z",
      tags: "vip, gift ,",
      lines: [{ variant_id: s.variantId, sku: "SHOP-RED", quantity: 2, price: "19.95", title: "Red tee" }],
      shipping_lines: [{ title: method.name.toUpperCase() }],
      shipping_address: {
        first_name: "Ann",
        last_name: "Lee",
        company: "Lee Co",
        address1: "5 Pitt St",
        address2: "Level 2",
        city: "Sydney",
        province_code: "NSW",
        zip: "2000",
        country_code: "AU",
        phone: "+61 400 000 000",
      },
    });
    await deliver(s, "orders/create", payload);

    const { order, lines } = await onlyHubOrder(s, payload.id);
    expect(order).toMatchObject({
      channel: "shopify",
      orderNumber: "#1001",
      reference: `shopify:${s.shop}:${payload.id}`,
      status: "received",
      holdReason: null,
      warehouseId: s.tenant.warehouses.syd,
      shippingMethodId: method.id,
      tags: ["vip", "gift"],
    });
    expect(order.orderDate.toISOString()).toBe("2026-11-20T01:02:03.000Z");
    expect(order.shipTo).toEqual({
      name: "Ann Lee",
      company: "Lee Co",
      email: "ann@example.test",
      phone: "+61 400 000 000",
      address1: "5 Pitt St",
      address2: "Level 2",
      city: "Sydney",
      state: "NSW",
      postcode: "2000",
      country: "AU",
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ sku: "TEE-RED", skuId: s.sku.id, channelSku: "SHOP-RED", channelLineId: String(payload.line_items[0].id), quantity: 2, quantityAllocated: 2 });
    expect(await stockOf(s.tenant, "TEE-RED")).toMatchObject({ onHand: 10, allocated: 2 });

    const [delivery] = await deliveriesOf(s);
    expect(delivery).toMatchObject({ state: "processed", orderId: order.id, outcome: "created_received", attempts: 1 });
    const [lag] = await getDb()
      .select()
      .from(metricSamples)
      .where(and(eq(metricSamples.name, METRIC.orderSubmissionLag), eq(metricSamples.accountId, s.tenant.accountId)));
    expect(lag.labels).toEqual({ shop: s.shop });
    expect(lag.value).toBeGreaterThanOrEqual(0);
  });

  it("a shipping line no method is named after takes the account default", async () => {
    const s = await shopWithMappedSku();
    const payload = shopifyOrder({ lines: [{ variant_id: s.variantId, sku: "SHOP-RED" }], shipping_lines: [{ title: unique("Carrier pigeon") }] });
    await deliver(s, "orders/create", payload);
    const { order } = await onlyHubOrder(s, payload.id);
    expect(order.shippingMethodId).toBe((await defaultShippingMethod(getDb(), s.tenant.ctx))?.id ?? null);
  });

  it("duplicate deliveries make one order: the same event twice, and the same order under two event ids", async () => {
    const s = await shopWithMappedSku();
    const payload = shopifyOrder({ lines: [{ variant_id: s.variantId, sku: "SHOP-RED", quantity: 3 }] });
    await deliver(s, "orders/create", payload, { eventId: "e-1", webhookId: "w-1" });
    await deliver(s, "orders/create", payload, { eventId: "e-1", webhookId: "w-1" });
    await deliver(s, "orders/create", payload, { eventId: "e-2", webhookId: "w-2" });
    expect(await hubOrdersFor(s, payload.id)).toHaveLength(1);
    expect(await channelOrdersOf(s)).toHaveLength(1);
    expect((await deliveriesOf(s)).map((d) => d.outcome)).toEqual(["created_received", "duplicate"]);
    expect(await stockOf(s.tenant, "TEE-RED")).toMatchObject({ allocated: 3 });
  });

  it("routes across two warehouses by stock: Sydney lacks it, Melbourne has it", async () => {
    const s = await shopWithMappedSku({ syd: 0, mel: 4 });
    const payload = shopifyOrder({ lines: [{ variant_id: s.variantId, sku: "SHOP-RED", quantity: 2 }] });
    await deliver(s, "orders/create", payload);
    const { order } = await onlyHubOrder(s, payload.id);
    expect(order).toMatchObject({ status: "received", warehouseId: s.tenant.warehouses.mel });
    expect(await stockOf(s.tenant, "TEE-RED", s.tenant.warehouses.mel)).toMatchObject({ allocated: 2 });
    expect(await timelineTypes(order.id)).toContain("routed");
  });

  it("routes across two warehouses by destination country with routing rules", async () => {
    const s = await shopWithMappedSku({ syd: 10, mel: 10 });
    const t = s.tenant;
    await createRoutingRule(getDb(), t.ctx, { name: "New Zealand from Melbourne", priority: 1, conditions: { countries: ["NZ"] }, warehouse_ids: [t.warehouses.mel] });
    await createRoutingRule(getDb(), t.ctx, { name: "Australia from Sydney", priority: 2, conditions: { countries: ["AU"] }, warehouse_ids: [t.warehouses.syd] });
    const nz = shopifyOrder({
      lines: [{ variant_id: s.variantId, sku: "SHOP-RED" }],
      shipping_address: { address1: "1 Queen St", city: "Auckland", province_code: "AUK", zip: "1010", country_code: "NZ" },
    });
    const au = shopifyOrder({ lines: [{ variant_id: s.variantId, sku: "SHOP-RED" }] });
    await deliver(s, "orders/create", nz);
    await deliver(s, "orders/create", au);
    expect((await onlyHubOrder(s, nz.id)).order.warehouseId).toBe(t.warehouses.mel);
    expect((await onlyHubOrder(s, au.id)).order.warehouseId).toBe(t.warehouses.syd);
  });
});

describe("unmapped SKUs", () => {
  it("hold the whole order with every line, allocate nothing, raise an exception that links to the mapping form; mapping it re-runs the same order", async () => {
    const s = await shopWithMappedSku();
    const blue = await createSku(s.tenant, "TEE-BLUE", { [s.tenant.warehouses.syd]: 5 });
    const blueVariant = shopifyId();
    const payload = shopifyOrder({
      lines: [
        { variant_id: s.variantId, sku: "SHOP-RED", quantity: 1 },
        { variant_id: blueVariant, sku: "SHOP-BLUE", quantity: 2 },
      ],
    });
    await deliver(s, "orders/create", payload);

    const held = await onlyHubOrder(s, payload.id);
    expect(held.order).toMatchObject({ status: "on_hold", holdReason: "unmapped_sku", warehouseId: null });
    expect(held.lines.map((l) => [l.sku, l.skuId, l.channelSku, l.quantity, l.quantityAllocated])).toEqual([
      ["TEE-RED", s.sku.id, "SHOP-RED", 1, 0],
      ["SHOP-BLUE", null, "SHOP-BLUE", 2, 0],
    ]);
    expect(await stockOf(s.tenant, "TEE-RED")).toMatchObject({ allocated: 0 });
    const [exception] = await openExceptions(held.order.id);
    expect(exception).toMatchObject({ kind: "unmapped_sku" });
    expect(exception.data?.action_label).toBe("Add this mapping");
    const href = new URL(String(exception.data?.action_href), "http://hub.test");
    expect(href.pathname).toBe("/sku-map/new");
    expect(Object.fromEntries(href.searchParams)).toEqual({
      account: s.tenant.accountId,
      env: s.tenant.environment,
      channel_sku: "SHOP-BLUE",
      variant_id: String(blueVariant),
      order: held.order.id,
    });
    const [lines] = await getDb()
      .select({ n: sql<number>`sum(value)` })
      .from(metricSamples)
      .where(and(eq(metricSamples.name, METRIC.unmappedOrderLines), eq(metricSamples.accountId, s.tenant.accountId)));
    expect(Number(lines.n)).toBe(1);

    // Re-running before the mapping exists changes nothing.
    expect(await rerunHeldOrders(getDb(), s.tenant.ctx)).toEqual([]);

    await upsertMapping(getDb(), s.tenant.ctx, { channelSku: "SHOP-BLUE", variantId: null, skuId: blue.id, warehouseItemCode: null, active: true });
    expect(await rerunHeldOrders(getDb(), s.tenant.ctx)).toEqual([held.order.id]);

    const released = await onlyHubOrder(s, payload.id);
    expect(released.order).toMatchObject({ id: held.order.id, status: "received", holdReason: null, warehouseId: s.tenant.warehouses.syd });
    expect(released.lines.map((l) => [l.id, l.sku, l.channelSku, l.channelLineId, l.quantityAllocated])).toEqual([
      [held.lines[0].id, "TEE-RED", "SHOP-RED", String(payload.line_items[0].id), 1],
      [held.lines[1].id, "TEE-BLUE", "SHOP-BLUE", String(payload.line_items[1].id), 2],
    ]);
    expect(await openExceptions(held.order.id)).toEqual([]);
    expect(await stockOf(s.tenant, "TEE-BLUE")).toMatchObject({ allocated: 2 });
    // A second re-run (or a redelivered create) never makes a second order.
    expect(await rerunHeldOrders(getDb(), s.tenant.ctx)).toEqual([]);
    await deliver(s, "orders/create", payload);
    expect(await hubOrdersFor(s, payload.id)).toHaveLength(1);
    expect(await getDb().select().from(allocations).where(eq(allocations.orderId, held.order.id))).toHaveLength(2);
  });

  it("the mapping also learns the variant, so a later rename in Shopify is noticed", async () => {
    const s = await shopWithMappedSku();
    const green = await createSku(s.tenant, "TEE-GREEN", { [s.tenant.warehouses.syd]: 5 });
    const { mapping } = (await upsertMapping(getDb(), s.tenant.ctx, { channelSku: "SHOP-GREEN", variantId: null, skuId: green.id, warehouseItemCode: null, active: true }))!;
    const variant = shopifyId();
    await deliver(s, "orders/create", shopifyOrder({ lines: [{ variant_id: variant, sku: "SHOP-GREEN" }] }));
    await deliver(s, "products/update", { id: shopifyId(), title: "Green tee", variants: [{ id: variant, sku: "SHOP-GREEN-V2", inventory_item_id: 1 }] });
    const [exception] = await getDb()
      .select()
      .from(operationalExceptions)
      .where(and(eq(operationalExceptions.accountId, s.tenant.accountId), eq(operationalExceptions.kind, "sku_needs_verification")));
    expect(exception.message).toContain("SHOP-GREEN");
    expect((exception.data?.mappings as { id: string }[]).map((m) => m.id)).toEqual([mapping.id]);
  });
});

describe("dead letters", () => {
  it("a payload that can never become an order is a dead letter with an exception; retry puts it back", async () => {
    const s = await connectedShop();
    expect(await sendWebhook(s, "orders/create", { id: 1, name: "#1", created_at: "2026-01-01T00:00:00Z", line_items: "nope" })).toBe(200);
    await drainShopifyInbox(getDb(), { accountId: s.tenant.accountId });
    const [dead] = await deliveriesOf(s);
    expect(dead).toMatchObject({ state: "dead", attempts: 1 });
    expect(dead.lastError).toContain("line_items");
    const exceptions = await getDb()
      .select()
      .from(operationalExceptions)
      .where(and(eq(operationalExceptions.accountId, s.tenant.accountId), eq(operationalExceptions.kind, "shopify_webhook_dead")));
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0].data?.delivery_id).toBe(dead.id);
    expect(await retryDelivery(getDb(), dead.id)).toBe(true);
    expect((await deliveriesOf(s))[0]).toMatchObject({ state: "pending", attempts: 0 });
  });

  it("a payload whose \\u escapes decode to what PostgreSQL cannot store is a dead letter at once, naming the field", async () => {
    const s = await connectedShop();
    const payload = shopifyOrder();
    // Stored as sent (the escapes are plain text), refused when read: never a U+FFFD in the order, never a retry loop.
    for (const name of ["#1\u0000", "#1\ud800"]) expect(await sendWebhook(s, "orders/create", { ...payload, name })).toBe(200);
    await drainShopifyInbox(getDb(), { accountId: s.tenant.accountId });
    const rows = await deliveriesOf(s);
    expect(rows.map((d) => [d.state, d.attempts])).toEqual([
      ["dead", 1],
      ["dead", 1],
    ]);
    for (const row of rows) expect(row.lastError).toMatch(/name must not contain (a NUL character|an unpaired UTF-16 surrogate)/);
    expect(await hubOrdersFor(s, payload.id)).toEqual([]);
  });

  it("a transient failure is retried on the schedule, then dead after the last step", async () => {
    const s = await connectedShop();
    // A cancellation for an order never created waits (NotYet) until its retries run out.
    const payload = shopifyOrder({ cancelled_at: new Date().toISOString() });
    await sendWebhook(s, "orders/cancelled", payload);
    await drainShopifyInbox(getDb(), { accountId: s.tenant.accountId });
    const [row] = await deliveriesOf(s);
    expect(row).toMatchObject({ state: "dead", attempts: 3 });
    expect(row.lastError).toContain("not known here yet");
  });

  it("an unhandled topic is stored and marked ignored", async () => {
    const s = await connectedShop();
    await deliver(s, "customers/create", { id: 5 });
    expect((await deliveriesOf(s))[0]).toMatchObject({ state: "ignored" });
  });
});

describe.skipIf(!onPostgres)(`concurrent workers (${needsPostgres})`, () => {
  it("the same Shopify order delivered five times under different event ids and processed at once makes one order", async () => {
    const s = await shopWithMappedSku();
    const payload = shopifyOrder({ lines: [{ variant_id: s.variantId, sku: "SHOP-RED", quantity: 1 }] });
    for (let i = 0; i < 5; i++) await sendWebhook(s, "orders/create", payload, { eventId: `race-${i}` });
    const mine = await claimDeliveries(getDb(), 50, { accountId: s.tenant.accountId });
    expect(mine).toHaveLength(5);
    await Promise.all(mine.map((d) => processDelivery(getDb(), d)));
    expect(await hubOrdersFor(s, payload.id)).toHaveLength(1);
    expect((await deliveriesOf(s)).map((d) => d.outcome).sort()).toEqual(["created_received", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(await stockOf(s.tenant, "TEE-RED")).toMatchObject({ allocated: 1 });
    const [count] = await getDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(eq(orders.accountId, s.tenant.accountId));
    expect(count.n).toBe(1);
  });
});
