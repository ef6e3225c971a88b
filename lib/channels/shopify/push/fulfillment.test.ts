import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { metricSamples, operationalExceptions, orderEvents, shipmentParcels, shipments, shopifyFulfillmentPushes } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { setEnvForTests } from "@/lib/env";
import { updateShipmentStatus, voidShipment } from "@/lib/shipments/status";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { METRIC } from "@/lib/metrics/record";
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from "@/e2e/support/shopify/fake-admin";
import { connectFakeShop, createShopifyOrder, pushUntilSettled, ship, TEST_LOCATION } from "@/e2e/support/shopify/fake-shop";
import { listDeadPushes, retryDeadPush } from "./dead-letters";
import { runFulfillmentPush } from "./fulfillment";

let fake: FakeShopifyAdmin;
let tenant: TestTenant;
let connection: Awaited<ReturnType<typeof connectFakeShop>>;

/** Runs this account's push rounds until every shipment made so far is scanned and nothing is due. */
async function pushAll(): Promise<void> {
  await pushUntilSettled(() => runFulfillmentPush(getDb(), { accountId: tenant.accountId }), connection, "shipments");
}

beforeAll(async () => {
  setEnvForTests({ SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS: "0,0" });
  fake = await startFakeShopifyAdmin();
  tenant = await createTenant();
  connection = await connectFakeShop(tenant, fake);
  await createSku(tenant, "TEE-BLK-M", { [tenant.warehouses.syd]: 100 });
  await createSku(tenant, "MUG-WHT", { [tenant.warehouses.syd]: 100 });
});

afterAll(async () => {
  await fake.stop();
});

async function pushRow(shipmentId: string) {
  const [row] = await getDb().select().from(shopifyFulfillmentPushes).where(eq(shopifyFulfillmentPushes.shipmentId, shipmentId));
  return row;
}

async function voidIt(shipmentId: string) {
  await inTransaction(getDb(), (tx) => voidShipment(tx, { ...tenant.ctx, source: "wms", actor: "wms" }, { shipmentId }));
}

/**
 * A label replaced after the push, as the warehouse integration records it: the parcel's number changes, and so
 * does the shipment's version (the hub has no relabel action of its own yet).
 */
async function relabel(shipmentId: string, from: string, to: string) {
  await inTransaction(getDb(), async (tx) => {
    await tx.update(shipmentParcels).set({ trackingNumber: to, trackingUrl: `https://auspost.com.au/mypost/track/details/${to}` }).where(and(eq(shipmentParcels.shipmentId, shipmentId), eq(shipmentParcels.trackingNumber, from)));
    await tx.update(shipments).set({ updatedAt: sql`now()` }).where(eq(shipments.id, shipmentId));
  });
}

async function timelineOf(orderId: string, type: string) {
  return getDb().select().from(orderEvents).where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, type)));
}

describe("fulfillment push-back", () => {
  it("pushes a partial then the final shipment as two fulfillments with exactly their lines and every tracking number", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [
      { sku: "TEE-BLK-M", quantity: 3 },
      { sku: "MUG-WHT", quantity: 1 },
    ]);
    const first = await ship(tenant, order.orderId, {
      items: [{ sku: "TEE-BLK-M", quantity: 2 }],
      parcels: [{ trackingNumber: "AP100001" }, { trackingNumber: "AP100002" }],
    });
    await pushAll();
    const second = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP100003" }] });
    await pushAll();

    const fulfillments = fake.fulfillmentsOf(order.shopifyOrderId);
    expect(fulfillments).toHaveLength(2);
    const [a, b] = fulfillments;
    expect(a.lines.map((l) => [l.lineItemId, l.quantity])).toEqual([[order.lineItemIds[0], 2]]);
    expect(a.trackingInfo).toEqual({
      company: "Australia Post",
      numbers: ["AP100001", "AP100002"],
      urls: ["https://auspost.com.au/mypost/track/details/AP100001", "https://auspost.com.au/mypost/track/details/AP100002"],
    });
    expect(a.notifyCustomer).toBe(true);
    expect(b.lines.map((l) => [l.lineItemId, l.quantity]).sort()).toEqual(
      [
        [order.lineItemIds[0], 1],
        [order.lineItemIds[1], 1],
      ].sort(),
    );
    expect(b.trackingInfo.numbers).toEqual(["AP100003"]);

    const rowA = await pushRow(first.shipment.id);
    const rowB = await pushRow(second.shipment.id);
    expect(rowA).toMatchObject({ state: "synced", shopifyFulfillmentId: a.id });
    expect(rowB).toMatchObject({ state: "synced", shopifyFulfillmentId: b.id });

    const timings = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.fulfillmentCallback));
    expect(timings.filter((m) => m.accountId === tenant.accountId)).toHaveLength(2);
    const timeline = await getDb().select().from(orderEvents).where(and(eq(orderEvents.orderId, order.orderId), eq(orderEvents.type, "shopify_fulfillment_created")));
    expect(timeline).toHaveLength(2);
  });

  it("creates one fulfillment when the warehouse reports the same shipment twice and the loop runs again", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "MUG-WHT", quantity: 2 }]);
    const one = await ship(tenant, order.orderId, { externalId: "wms-ship-dup-1", parcels: [{ trackingNumber: "AP200001" }] });
    const two = await ship(tenant, order.orderId, { externalId: "wms-ship-dup-1", parcels: [{ trackingNumber: "AP200001" }] });
    expect(two.created).toBe(false);
    await pushAll();
    await pushAll();
    expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
    const rows = await getDb().select().from(shopifyFulfillmentPushes).where(eq(shopifyFulfillmentPushes.orderId, order.orderId));
    expect(rows).toHaveLength(1);
    expect(rows[0].shipmentId).toBe(one.shipment.id);
  });

  it("sends later status changes as tracking updates of the same fulfillment", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 1 }]);
    const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP300001" }] });
    await pushAll();
    await inTransaction(getDb(), (tx) => updateShipmentStatus(tx, { ...tenant.ctx, source: "carrier" }, { shipmentId: shipped.shipment.id, status: "in_transit" }));
    await pushAll();
    const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
    expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
    expect(fulfillment.trackingUpdates).toHaveLength(1);
    expect(fulfillment.trackingUpdates[0]).toMatchObject({ company: "Australia Post", numbers: ["AP300001"], notifyCustomer: false });
    expect((await pushRow(shipped.shipment.id)).state).toBe("synced");
  });

  it("tells the customer when the tracking numbers change, and not when only the status does", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 1 }]);
    const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP310001" }, { trackingNumber: "AP310002" }] });
    await pushAll();
    expect(await pushRow(shipped.shipment.id)).toMatchObject({ syncedTrackingNumbers: ["AP310001", "AP310002"] });
    await relabel(shipped.shipment.id, "AP310002", "AP310003");
    await pushAll();
    await inTransaction(getDb(), (tx) => updateShipmentStatus(tx, { ...tenant.ctx, source: "carrier" }, { shipmentId: shipped.shipment.id, status: "in_transit" }));
    await pushAll();

    const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
    expect(fulfillment.trackingUpdates.map((u) => [u.numbers, u.notifyCustomer])).toEqual([
      [["AP310001", "AP310003"], true],
      [["AP310001", "AP310003"], false],
    ]);
    expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", syncedTrackingNumbers: ["AP310001", "AP310003"] });
    const events = await timelineOf(order.orderId, "shopify_tracking_changed");
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ tracking_numbers: ["AP310001", "AP310003"], previous_tracking_numbers: ["AP310001", "AP310002"] });
  });

  it("compares with the numbers on Shopify's fulfillment when the hub did not keep what it last sent", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "MUG-WHT", quantity: 1 }]);
    const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP320001" }] });
    await pushAll();
    // A row pushed before the hub kept the numbers it sent.
    await getDb().update(shopifyFulfillmentPushes).set({ syncedTrackingNumbers: null }).where(eq(shopifyFulfillmentPushes.shipmentId, shipped.shipment.id));
    await inTransaction(getDb(), (tx) => updateShipmentStatus(tx, { ...tenant.ctx, source: "carrier" }, { shipmentId: shipped.shipment.id, status: "in_transit" }));
    await pushAll();
    await getDb().update(shopifyFulfillmentPushes).set({ syncedTrackingNumbers: null }).where(eq(shopifyFulfillmentPushes.shipmentId, shipped.shipment.id));
    await relabel(shipped.shipment.id, "AP320001", "AP320002");
    await pushAll();

    const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
    expect(fulfillment.trackingUpdates.map((u) => [u.numbers, u.notifyCustomer])).toEqual([
      [["AP320001"], false],
      [["AP320002"], true],
    ]);
  });

  it("retries transient failures (429, 5xx) and records them as transient Admin API errors", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 1 }]);
    fake.inject("fulfillmentCreate", { status: 429, retryAfter: "1" });
    fake.inject("fulfillmentCreate", { status: 503 });
    await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP400001" }] });
    await pushAll();
    expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
    const errors = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.adminApiError));
    const codes = errors.filter((e) => e.labels.shop === connection.shopDomain).map((e) => `${e.labels.type}:${e.labels.code}`);
    expect(codes).toEqual(expect.arrayContaining(["transient:HTTP_429", "transient:HTTP_503"]));
  });

  it("a creation whose answer was lost is not sent again blindly: the next attempt adopts the fulfillment Shopify made", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 2 }]);
    // Shopify creates the fulfillment, then the answer is lost (502). Sending the same create again would be refused
    // for quantity (nothing left to fulfil) and end as a dead letter.
    fake.inject("fulfillmentCreate", { lostAnswer: true });
    const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP410001" }] });
    await pushAll();

    const fulfillments = fake.fulfillmentsOf(order.shopifyOrderId);
    expect(fulfillments).toHaveLength(1);
    expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", shopifyFulfillmentId: fulfillments[0].id });
    expect(await timelineOf(order.orderId, "shopify_fulfillment_created")).toHaveLength(1);
  });

  it("turns a permanent refusal into a visible dead letter with an exception, and a retry pushes it", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "MUG-WHT", quantity: 1 }]);
    fake.inject("fulfillmentCreate", { userErrors: [{ field: ["fulfillment"], message: "Fulfillment order is on hold." }] });
    const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP500001" }] });
    await pushAll();

    const row = await pushRow(shipped.shipment.id);
    expect(row).toMatchObject({ state: "dead", lastErrorKind: "permanent", shopifyFulfillmentId: null });
    expect(row.lastError).toContain("Fulfillment order is on hold.");
    expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(0);
    const dead = await listDeadPushes(getDb());
    expect(dead.find((d) => d.id === row.id)).toMatchObject({ kind: "fulfillment", orderId: order.orderId, shopDomain: connection.shopDomain });
    const [exception] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.orderId));
    expect(exception).toMatchObject({ kind: "shopify_push_failed", status: "open" });
    const errors = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.adminApiError));
    expect(errors.some((e) => e.labels.shop === connection.shopDomain && e.labels.type === "permanent")).toBe(true);

    expect(await retryDeadPush(getDb(), { kind: "fulfillment", id: row.id, actor: "ops@example.com" })).toBe(true);
    expect(await retryDeadPush(getDb(), { kind: "fulfillment", id: row.id, actor: "ops@example.com" })).toBe(false);
    await pushAll();
    expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
    expect((await pushRow(shipped.shipment.id)).state).toBe("synced");
    const [resolved] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.orderId));
    expect(resolved.status).toBe("resolved");
  });

  it("adopts the fulfillment a lost response already created instead of fulfilling twice", async () => {
    const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 1 }]);
    const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP600001" }] });
    await pushAll();
    // Pretend the answer was lost: the row is pending again on a later attempt, though Shopify has the fulfillment.
    await getDb().update(shopifyFulfillmentPushes).set({ state: "pending", shopifyFulfillmentId: null, attempts: 1 }).where(eq(shopifyFulfillmentPushes.shipmentId, shipped.shipment.id));
    await pushAll();
    expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
    expect((await pushRow(shipped.shipment.id)).shopifyFulfillmentId).toBe(fake.fulfillmentsOf(order.shopifyOrderId)[0].id);
  });

  describe("shipments whose lines Shopify routed to several locations", () => {
    /** A second Shopify location, mapped to no warehouse of the tenant: Shopify's routing sent part of the order there. */
    const ELSEWHERE = "gid://shopify/Location/7002";
    const moveCalls = () => fake.stats.byField.fulfillmentOrderMove ?? 0;

    it("moves the units at the other location to the warehouse's, then creates one fulfillment covering the whole shipment", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [
        { sku: "TEE-BLK-M", quantity: 2 },
        { sku: "MUG-WHT", quantity: 1, locationId: ELSEWHERE },
      ]);
      const movesBefore = moveCalls();
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP800001" }] });
      await pushAll();

      expect(moveCalls() - movesBefore).toBe(1);
      const fulfillments = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fulfillments).toHaveLength(1);
      expect(fulfillments[0].lines.map((l) => [l.lineItemId, l.quantity]).sort()).toEqual(
        [
          [order.lineItemIds[0], 2],
          [order.lineItemIds[1], 1],
        ].sort(),
      );
      expect(new Set(fulfillments[0].lines.map((l) => fake.fulfillmentOrders.get(l.fulfillmentOrderId)!.locationId))).toEqual(new Set([TEST_LOCATION]));
      expect([...fake.unfulfilledOf(order.shopifyOrderId).values()].every((n) => n === 0)).toBe(true);
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", shopifyFulfillmentId: fulfillments[0].id, lastError: null });

      const moved = await timelineOf(order.orderId, "shopify_fulfillment_order_moved");
      expect(moved).toHaveLength(1);
      expect(moved[0].data).toMatchObject({
        shipment_id: shipped.shipment.id,
        from_location_id: ELSEWHERE,
        to_location_id: TEST_LOCATION,
        lines: [{ line_item_id: order.lineItemIds[1], sku: "MUG-WHT", quantity: 1 }],
      });
      expect(moved[0].message).toContain("1 × MUG-WHT at location 7002");
      expect(await timelineOf(order.orderId, "shopify_fulfillment_created")).toHaveLength(1);
    });

    it("reads every page of the order's fulfillment orders: units at a sixth location are found and moved too", async () => {
      const elsewhere = ["7101", "7102", "7103", "7104", "7105"].map((n) => `gid://shopify/Location/${n}`);
      const order = await createShopifyOrder(tenant, connection, fake, [
        { sku: "TEE-BLK-M", quantity: 1 },
        ...elsewhere.map((locationId) => ({ sku: "MUG-WHT", quantity: 1, locationId })),
      ]);
      expect(fake.openFulfillmentOrdersOf(order.shopifyOrderId)).toHaveLength(6); // more than one page of five
      const movesBefore = moveCalls();
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP830001" }] });
      await pushAll();

      expect(moveCalls() - movesBefore).toBe(5);
      const fulfillments = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fulfillments).toHaveLength(1);
      expect(fulfillments[0].lines.map((l) => l.lineItemId).sort()).toEqual([...order.lineItemIds].sort());
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", lastError: null });
    });

    it("moves only the units the shipment needs: the rest stays at the other location, as Shopify splits the fulfillment order", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [
        { sku: "TEE-BLK-M", quantity: 1 },
        { sku: "MUG-WHT", quantity: 3, locationId: ELSEWHERE },
      ]);
      await ship(tenant, order.orderId, {
        items: [
          { sku: "TEE-BLK-M", quantity: 1 },
          { sku: "MUG-WHT", quantity: 2 },
        ],
        parcels: [{ trackingNumber: "AP810001" }],
      });
      await pushAll();

      const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
      expect(fulfillment.lines.map((l) => [l.lineItemId, l.quantity]).sort()).toEqual(
        [
          [order.lineItemIds[0], 1],
          [order.lineItemIds[1], 2],
        ].sort(),
      );
      const open = fake.openFulfillmentOrdersOf(order.shopifyOrderId);
      expect(open.map((fo) => [fo.locationId, fo.lineItems.map((li) => [li.lineItemId, li.remainingQuantity])])).toEqual([[ELSEWHERE, [[order.lineItemIds[1], 1]]]]);
    });

    it("a move whose answer was lost is not repeated: the retry finds the units in place and creates the one fulfillment", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [
        { sku: "TEE-BLK-M", quantity: 1 },
        { sku: "MUG-WHT", quantity: 2, locationId: ELSEWHERE },
      ]);
      // Shopify moves the units, then the answer is lost (502): the push cannot tell the move happened.
      fake.inject("fulfillmentOrderMove", { lostAnswer: true });
      const movesBefore = moveCalls();
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP820001" }] });
      await pushAll();

      expect(moveCalls() - movesBefore).toBe(1);
      const fulfillments = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fulfillments).toHaveLength(1);
      expect(fulfillments[0].lines.map((l) => [l.lineItemId, l.quantity]).sort()).toEqual(
        [
          [order.lineItemIds[0], 1],
          [order.lineItemIds[1], 2],
        ].sort(),
      );
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", shopifyFulfillmentId: fulfillments[0].id, lastError: null, deadAt: null });
      const exceptions = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.orderId));
      expect(exceptions).toHaveLength(0);
    });

    it("without a Shopify location for the shipping warehouse, dead-letters the push and tells the operator to map it", async () => {
      const unmapped = await createTenant();
      const unmappedShop = await connectFakeShop(unmapped, fake, { locations: [] });
      await createSku(unmapped, "TEE-BLK-M", { [unmapped.warehouses.syd]: 10 });
      await createSku(unmapped, "MUG-WHT", { [unmapped.warehouses.syd]: 10 });
      const order = await createShopifyOrder(unmapped, unmappedShop, fake, [
        { sku: "TEE-BLK-M", quantity: 1 },
        { sku: "MUG-WHT", quantity: 1, locationId: ELSEWHERE },
      ]);
      const movesBefore = moveCalls();
      const shipped = await ship(unmapped, order.orderId, { parcels: [{ trackingNumber: "AP830001" }] });
      await pushUntilSettled(() => runFulfillmentPush(getDb(), { accountId: unmapped.accountId }), unmappedShop, "shipments");

      expect(moveCalls() - movesBefore).toBe(0);
      expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(0);
      const row = await pushRow(shipped.shipment.id);
      expect(row).toMatchObject({ state: "dead", lastErrorKind: "permanent", shopifyFulfillmentId: null });
      expect(row.lastError).toContain("different Shopify locations");
      expect(row.lastError).toMatch(/Warehouse \S+ shipped them but is not mapped to a Shopify location/);
      expect(row.lastError).toContain("to the Shopify location it ships from");
      const [exception] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.orderId));
      expect(exception).toMatchObject({ kind: "shopify_push_failed", status: "open" });
    });
  });

  describe("voided shipments", () => {
    it("cancels the fulfillment of a shipment voided after it was pushed, and Shopify shows its units unfulfilled again", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [
        { sku: "TEE-BLK-M", quantity: 2 },
        { sku: "MUG-WHT", quantity: 1 },
      ]);
      const shipped = await ship(tenant, order.orderId, { items: [{ sku: "TEE-BLK-M", quantity: 2 }], parcels: [{ trackingNumber: "AP700001" }] });
      await pushAll();
      expect(fake.unfulfilledOf(order.shopifyOrderId).get(order.lineItemIds[0])).toBe(0);
      await voidIt(shipped.shipment.id);
      await pushAll();

      const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
      expect(fulfillment.status).toBe("CANCELLED");
      expect(fake.unfulfilledOf(order.shopifyOrderId)).toEqual(new Map([[order.lineItemIds[0], 2], [order.lineItemIds[1], 1]]));
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", shopifyFulfillmentId: fulfillment.id });
      const [event] = await timelineOf(order.orderId, "shopify_fulfillment_cancelled");
      expect(event.data).toMatchObject({ shipment_id: shipped.shipment.id, fulfillment_id: fulfillment.id, already_cancelled: false });
      expect(await timelineOf(order.orderId, "shopify_fulfillment_cancelled")).toHaveLength(1);
    });

    it("creates nothing on Shopify for a shipment voided before the push ran", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "MUG-WHT", quantity: 1 }]);
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP710001" }] });
      await voidIt(shipped.shipment.id);
      const cancels = fake.stats.byField.fulfillmentCancel ?? 0;
      await pushAll();
      expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(0);
      expect(fake.stats.byField.fulfillmentCancel ?? 0).toBe(cancels);
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", shopifyFulfillmentId: null });
      expect(await timelineOf(order.orderId, "shopify_fulfillment_cancelled")).toHaveLength(0);
    });

    it("retries a cancellation that met a 429 and a 5xx", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 1 }]);
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP720001" }] });
      await pushAll();
      fake.inject("fulfillmentCancel", { status: 429, retryAfter: "0" });
      fake.inject("fulfillmentCancel", { status: 503 });
      await voidIt(shipped.shipment.id);
      await pushAll();

      expect(fake.fulfillmentsOf(order.shopifyOrderId)[0].status).toBe("CANCELLED");
      expect((await pushRow(shipped.shipment.id)).state).toBe("synced");
      const errors = await getDb().select().from(metricSamples).where(eq(metricSamples.name, METRIC.adminApiError));
      const codes = errors.filter((e) => e.labels.shop === connection.shopDomain && e.labels.operation === "HubFulfillmentCancel").map((e) => `${e.labels.type}:${e.labels.code}`);
      expect(codes).toEqual(expect.arrayContaining(["transient:HTTP_429", "transient:HTTP_503"]));
    });

    it("takes a cancellation whose answer was lost as done when the retry finds the fulfillment already cancelled", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "TEE-BLK-M", quantity: 1 }]);
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP730001" }] });
      await pushAll();
      fake.inject("fulfillmentCancel", { lostAnswer: true });
      await voidIt(shipped.shipment.id);
      await pushAll();

      const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fulfillment.status).toBe("CANCELLED");
      // The fulfillment order it had closed stays closed; Shopify opens a new one for the unit, as it does.
      expect(fake.unfulfilledOf(order.shopifyOrderId).get(order.lineItemIds[0])).toBe(1);
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", lastError: null });
      const events = await timelineOf(order.orderId, "shopify_fulfillment_cancelled");
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({ already_cancelled: true });
    });

    it("cancels the fulfillment a lost creation answer left behind when the shipment is voided before the retry", async () => {
      const order = await createShopifyOrder(tenant, connection, fake, [{ sku: "MUG-WHT", quantity: 1 }]);
      const shipped = await ship(tenant, order.orderId, { parcels: [{ trackingNumber: "AP740001" }] });
      await pushAll();
      // As if the creation's answer was lost: the row is pending on a later attempt, though Shopify has the fulfillment.
      await getDb().update(shopifyFulfillmentPushes).set({ state: "pending", shopifyFulfillmentId: null, attempts: 1 }).where(eq(shopifyFulfillmentPushes.shipmentId, shipped.shipment.id));
      await voidIt(shipped.shipment.id);
      await pushAll();

      const [fulfillment] = fake.fulfillmentsOf(order.shopifyOrderId);
      expect(fake.fulfillmentsOf(order.shopifyOrderId)).toHaveLength(1);
      expect(fulfillment.status).toBe("CANCELLED");
      expect(await pushRow(shipped.shipment.id)).toMatchObject({ state: "synced", shopifyFulfillmentId: fulfillment.id });
    });
  });
});
