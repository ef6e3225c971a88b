import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { operationalExceptions, orderEvents, orders, returns, shipments, shopConnections, shopifyFulfillmentPushes, warehouses } from "@/db/schema";
import { getOrderDetail } from "@/lib/dashboard/order-detail";
import { newId } from "@/lib/ids";
import { startPicking } from "@/lib/shipments/pick";
import { createShipment } from "@/lib/shipments/ship";
import { updateShipmentStatus } from "@/lib/shipments/status";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx, unique, type TestTenant } from "@/e2e/support/factories";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { detectStuckOrders } from "./detect";
import { carrierDueBy, stuckSql } from "./sql";
import { clearThreshold, effectiveThreshold, previewStuck, setThreshold } from "./thresholds";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function later(from: Date, ms: number): Date {
  return new Date(from.getTime() + ms);
}

async function openStuck(t: TestTenant) {
  const rows = await getDb()
    .select({ orderId: operationalExceptions.orderId, data: operationalExceptions.data, message: operationalExceptions.message })
    .from(operationalExceptions)
    .where(and(eq(operationalExceptions.accountId, t.accountId), eq(operationalExceptions.kind, "stuck_order"), eq(operationalExceptions.status, "open")));
  return rows.map((r) => ({ orderId: r.orderId, stage: String(r.data?.stage), message: r.message, data: r.data }));
}

async function timelineOf(orderId: string): Promise<string[]> {
  const rows = await getDb().select({ type: orderEvents.type, message: orderEvents.message }).from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    // As the order page lists them: without an order, PostgreSQL returns rows in whatever order its pages hold them.
    .orderBy(asc(orderEvents.occurredAt), asc(orderEvents.id));
  return rows.filter((r) => r.type.startsWith("stuck")).map((r) => r.message);
}

async function shipTo(t: TestTenant, orderId: string) {
  const { shipment } = await inTransaction(getDb(), (tx) => createShipment(tx, { ...sandboxCtx(t), source: "wms" }, { orderId, parcels: [{ trackingNumber: unique("TRK") }] }));
  return shipment;
}

async function carrier(t: TestTenant, shipmentId: string, status: "in_transit" | "out_for_delivery") {
  await inTransaction(getDb(), (tx) => updateShipmentStatus(tx, { ...sandboxCtx(t), source: "carrier" }, { shipmentId, status }));
}

/** One order in every stage, each made the way the hub makes it where a flow exists. */
async function orderInEveryStage(t: TestTenant) {
  const db = getDb();
  await createSku(t, "BOX", { [t.warehouses.syd]: 100 });
  await createSku(t, "GONE");
  const notPicked = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  const notShipped = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  await inTransaction(db, (tx) => startPicking(tx, sandboxCtx(t), { orderId: notShipped.id }));
  const noScan = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  await shipTo(t, noScan.id);
  const inTransit = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  await carrier(t, (await shipTo(t, inTransit.id)).id, "in_transit");
  const outForDelivery = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  await carrier(t, (await shipTo(t, outForDelivery.id)).id, "out_for_delivery");
  const backordered = await placeTestOrder(t, [{ sku: "GONE", quantity: 1 }]);
  expect(backordered.status).toBe("backordered");
  // A hold the hub places (unmapped SKU, no eligible warehouse): the status is what the detector reads.
  const notReleased = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  await db.update(orders).set({ status: "on_hold", holdReason: "no_eligible_warehouse" }).where(eq(orders.id, notReleased.id));
  // Shipped in the hub, the push to Shopify still pending.
  const channel = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  const channelShipment = await shipTo(t, channel.id);
  await carrier(t, channelShipment.id, "in_transit");
  const [connection] = await db
    .insert(shopConnections)
    .values({ id: newId("shc"), accountId: t.accountId, environment: t.environment, shopDomain: `${unique("shop")}.myshopify.com`, webhookSecretEncrypted: "x", adminTokenEncrypted: "x", adminUrl: "https://example.invalid/graphql" })
    .returning();
  await db.insert(shopifyFulfillmentPushes).values({ id: newId("sfp"), accountId: t.accountId, environment: t.environment, connectionId: connection.id, shipmentId: channelShipment.id, orderId: channel.id });
  // A return received and waiting for inspection.
  const returned = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
  await shipTo(t, returned.id);
  await db.update(shipments).set({ status: "delivered" }).where(eq(shipments.orderId, returned.id));
  await db.insert(returns).values({
    id: newId("ret"),
    accountId: t.accountId,
    environment: t.environment,
    orderId: returned.id,
    rma: unique("RMA"),
    warehouseId: t.warehouses.syd,
    status: "received",
    receivedAt: sql`now()`,
    requestHash: "x",
  });
  return { notReleased, notPicked, notShipped, noScan, inTransit, outForDelivery, backordered, channel, returned };
}

describe("detectStuckOrders", () => {
  it("raises each stage once its threshold has passed, once, with the order's timeline saying so", async () => {
    const t = await createTenant();
    const o = await orderInEveryStage(t);
    const t0 = new Date();
    const pass = (ms: number) => detectStuckOrders(getDb(), { now: later(t0, ms), accountId: t.accountId });
    const stages = async () => (await openStuck(t)).map((x) => `${x.orderId}:${x.stage}`).sort();
    const expected: string[] = [];
    const expectNow = async (...more: string[]) => {
      expected.push(...more);
      expect(await stages()).toEqual([...expected].sort());
    };

    expect(await pass(14 * MINUTE)).toEqual({ raised: 0, resolved: 0 });
    expect(await pass(16 * MINUTE)).toEqual({ raised: 2, resolved: 0 });
    await expectNow(`${o.notReleased.id}:not_released`, `${o.channel.id}:channel_not_updated`);
    await pass(4 * HOUR - MINUTE);
    await expectNow();
    await pass(4 * HOUR + MINUTE);
    await expectNow(`${o.notPicked.id}:not_picked`);
    await pass(8 * HOUR + MINUTE);
    await expectNow(`${o.notShipped.id}:not_shipped`);
    await pass(24 * HOUR + MINUTE);
    await expectNow(`${o.noScan.id}:no_carrier_scan`, `${o.outForDelivery.id}:stalled_in_transit`);
    await pass(48 * HOUR + MINUTE);
    await expectNow(`${o.backordered.id}:backordered_too_long`, `${o.returned.id}:return_not_restocked`);
    await pass(72 * HOUR - MINUTE);
    await expectNow();
    expect(await pass(72 * HOUR + MINUTE)).toEqual({ raised: 2, resolved: 0 });
    await expectNow(`${o.inTransit.id}:stalled_in_transit`, `${o.channel.id}:stalled_in_transit`);

    // A second pass finds every one already open.
    expect(await pass(80 * HOUR)).toEqual({ raised: 0, resolved: 0 });
    expect(await openStuck(t)).toHaveLength(10);

    expect(await timelineOf(o.notPicked.id)).toEqual(["Stuck: not picked for 4 h 1 min (threshold 4 h)"]);
    const [picked] = (await openStuck(t)).filter((x) => x.orderId === o.notPicked.id);
    expect(picked.data).toMatchObject({ stage: "not_picked", threshold_minutes: 240, next_step: expect.stringContaining("picking") });
    expect(new Date(String(picked.data?.since)).getTime()).toBeLessThanOrEqual(t0.getTime());
    expect(await timelineOf(o.outForDelivery.id)).toEqual(["Stuck: out for delivery without a carrier scan for 24 h 1 min (threshold 24 h)"]);
    // The order page lists it with its line.
    const detail = await getOrderDetail(getDb(), o.notPicked.id);
    expect(detail?.openExceptions.map((x) => [x.kind, x.message])).toEqual([["stuck_order", "Stuck: not picked for 4 h 1 min (threshold 4 h)"]]);
  });

  it("resolves the exception by itself when the order moves on, and raises the next stage when that one is late", async () => {
    const t = await createTenant();
    await createSku(t, "BOX", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    const t0 = new Date();
    expect(await detectStuckOrders(getDb(), { now: later(t0, 5 * HOUR), accountId: t.accountId })).toEqual({ raised: 1, resolved: 0 });

    await inTransaction(getDb(), (tx) => startPicking(tx, sandboxCtx(t), { orderId: order.id }));
    const [{ stageEnteredAt }] = await getDb().select({ stageEnteredAt: orders.stageEnteredAt }).from(orders).where(eq(orders.id, order.id));
    expect(stageEnteredAt.getTime()).toBeGreaterThanOrEqual(t0.getTime());

    expect(await detectStuckOrders(getDb(), { now: later(stageEnteredAt, 5 * HOUR), accountId: t.accountId })).toEqual({ raised: 0, resolved: 1 });
    expect(await openStuck(t)).toEqual([]);
    expect(await detectStuckOrders(getDb(), { now: later(stageEnteredAt, 8 * HOUR + MINUTE), accountId: t.accountId })).toEqual({ raised: 1, resolved: 0 });
    expect((await openStuck(t)).map((x) => x.stage)).toEqual(["not_shipped"]);
    expect(await timelineOf(order.id)).toEqual([
      "Stuck: not picked for 5 h (threshold 4 h)",
      "No longer stuck: not picked — the order moved on, so the exception resolved itself.",
      "Stuck: picked but not shipped for 8 h 1 min (threshold 8 h)",
    ]);
  });

  it("follows a threshold change: global, then per account, then per warehouse; the preview counts the same", async () => {
    const t = await createTenant();
    await createSku(t, "BOX", { [t.warehouses.syd]: 10, [t.warehouses.mel]: 10 });
    const syd = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }], t.warehouses.syd);
    const mel = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }], t.warehouses.mel);
    const now = later(new Date(), 2 * HOUR);
    const scope = { accountId: t.accountId };
    const detect = () => detectStuckOrders(getDb(), { now, ...scope });

    expect(await previewStuck(getDb(), [], now, scope)).toMatchObject({ total: 0 });
    expect(await previewStuck(getDb(), [{ key: "not_picked", warehouseId: t.warehouses.mel, minutes: 60 }], now, scope)).toMatchObject({
      total: 1,
      byStage: { not_picked: 1 },
    });
    expect(await effectiveThreshold(getDb(), "not_picked", { accountId: t.accountId, warehouseId: t.warehouses.mel })).toEqual({ minutes: 240, from: "default" });

    await setThreshold(getDb(), { key: "not_picked", warehouseId: t.warehouses.mel, minutes: 60 });
    expect(await effectiveThreshold(getDb(), "not_picked", { accountId: t.accountId, warehouseId: t.warehouses.mel })).toEqual({ minutes: 60, from: "warehouse" });
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    expect((await openStuck(t)).map((x) => x.orderId)).toEqual([mel.id]);
    expect(await timelineOf(mel.id)).toEqual([expect.stringMatching(/^Stuck: not picked for 2 h( \d+ min)? \(threshold 1 h\)$/)]);
    await clearThreshold(getDb(), { key: "not_picked", warehouseId: t.warehouses.mel });

    await setThreshold(getDb(), { key: "not_picked", accountId: t.accountId, minutes: 90 });
    await setThreshold(getDb(), { key: "not_picked", accountId: t.accountId, minutes: 100 });
    expect(await effectiveThreshold(getDb(), "not_picked", { accountId: t.accountId })).toEqual({ minutes: 100, from: "account" });
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    expect((await openStuck(t)).map((x) => x.orderId).sort()).toEqual([syd.id, mel.id].sort());
    await clearThreshold(getDb(), { key: "not_picked", accountId: t.accountId });
    expect(await effectiveThreshold(getDb(), "not_picked", { accountId: t.accountId })).toEqual({ minutes: 240, from: "default" });

    // A global override moves every account: a proposed 3 h would stick nothing more, a stored 1 h sticks the rest.
    const other = await createTenant();
    await createSku(other, "BOX", { [other.warehouses.syd]: 10 });
    await placeTestOrder(other, [{ sku: "BOX", quantity: 1 }]);
    expect(await previewStuck(getDb(), [{ key: "not_picked", minutes: 60 }], now, { accountId: other.accountId })).toMatchObject({ total: 1 });
    try {
      await setThreshold(getDb(), { key: "not_picked", minutes: 60 });
      expect(await effectiveThreshold(getDb(), "not_picked", { accountId: other.accountId })).toEqual({ minutes: 60, from: "global" });
      expect(await previewStuck(getDb(), [{ key: "not_picked", minutes: null }], now, { accountId: other.accountId })).toMatchObject({ total: 0 });
      expect(await detectStuckOrders(getDb(), { now, accountId: other.accountId })).toEqual({ raised: 1, resolved: 0 });
    } finally {
      await clearThreshold(getDb(), { key: "not_picked" });
    }
  });

  it("refuses a threshold it cannot apply and writes nothing", async () => {
    const t = await createTenant();
    const bad = [
      { key: "not_picked", accountId: t.accountId, minutes: 0 },
      { key: "not_picked", accountId: t.accountId, minutes: 1.5 },
      { key: "not_picked", accountId: t.accountId, minutes: 32 * 24 * 60 },
      { key: "lost_in_space", accountId: t.accountId, minutes: 60 },
      { key: "not_picked", accountId: t.accountId, warehouseId: t.warehouses.syd, minutes: 60 },
      { key: "not_picked", warehouseId: "wh_missing", minutes: 60 },
    ];
    for (const input of bad) await expect(setThreshold(getDb(), input)).rejects.toMatchObject({ code: "validation_error" });
    expect(await effectiveThreshold(getDb(), "not_picked", { accountId: t.accountId, warehouseId: "wh_missing" })).toEqual({ minutes: 240, from: "default" });
  });

  it("flags an order still unpicked after its warehouse's cut-off on the day it was due, before the 4 h threshold", async () => {
    const t = await createTenant();
    await createSku(t, "BOX", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    const [{ since }] = await getDb().select({ since: orders.stageEnteredAt }).from(orders).where(eq(orders.id, order.id));
    // The cut-off 30 minutes after the order came in, in the warehouse's own time zone (Sydney).
    const cutoff = new Intl.DateTimeFormat("en-GB", { timeZone: "Australia/Sydney", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(later(since, 30 * MINUTE));
    await getDb().update(warehouses).set({ cutoffTime: `${cutoff}:00` }).where(eq(warehouses.id, t.warehouses.syd));

    expect(await detectStuckOrders(getDb(), { now: later(since, 28 * MINUTE), accountId: t.accountId })).toEqual({ raised: 0, resolved: 0 });
    expect(await detectStuckOrders(getDb(), { now: later(since, 31 * MINUTE), accountId: t.accountId })).toEqual({ raised: 1, resolved: 0 });
    const [stuck] = await openStuck(t);
    expect(stuck.message).toMatch(new RegExp(`^Stuck: not picked past its warehouse's ${cutoff} cut-off \\(waiting (30|31) min, threshold 4 h\\)$`));
    expect(stuck.data).toMatchObject({ stage: "not_picked", threshold_minutes: 240, cutoff_at: expect.any(String) });
  });

  it("stamps stage_entered_at whenever the status changes, and only then", async () => {
    const t = await createTenant();
    await createSku(t, "BOX", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    const read = async () => (await getDb().select({ at: orders.stageEnteredAt }).from(orders).where(eq(orders.id, order.id)))[0].at;
    const past = new Date("2020-01-01T00:00:00Z");
    await getDb().update(orders).set({ stageEnteredAt: past }).where(eq(orders.id, order.id));
    await getDb().update(orders).set({ packingNote: "fragile", status: "received" }).where(eq(orders.id, order.id));
    expect(await read()).toEqual(past);
    await inTransaction(getDb(), (tx) => startPicking(tx, sandboxCtx(t), { orderId: order.id }));
    expect((await read()).getTime()).toBeGreaterThan(past.getTime());
    // A writer that sets the time itself (a demo seeded in the past) keeps it.
    await getDb().update(orders).set({ status: "received", stageEnteredAt: past }).where(eq(orders.id, order.id));
    expect(await read()).toEqual(past);
  });
});

describe.skipIf(!onPostgres)(`stuck-order detection under concurrency and at volume (${needsPostgres})`, () => {
  it("two detectors at once open one exception per order and stage, and the database refuses a second", async () => {
    const t = await createTenant();
    await createSku(t, "BOX", { [t.warehouses.syd]: 10 });
    const a = await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    await placeTestOrder(t, [{ sku: "BOX", quantity: 1 }]);
    const now = later(new Date(), 5 * HOUR);
    const results = await Promise.all([1, 2, 3, 4].map(() => detectStuckOrders(getDb(), { now, accountId: t.accountId })));
    expect(results.reduce((n, r) => n + r.raised, 0)).toBe(2);
    expect(await openStuck(t)).toHaveLength(2);
    expect(await timelineOf(a.id)).toHaveLength(1);

    const duplicate = getDb()
      .insert(operationalExceptions)
      .values({ id: newId("exc"), accountId: t.accountId, environment: t.environment, kind: "stuck_order", orderId: a.id, message: "dup", data: { stage: "not_picked" } });
    await expect(duplicate).rejects.toMatchObject({ cause: { code: "23505" } });
  });

  it("reads orders and parcels through their open-stage indexes, never a scan of all orders or shipments", async () => {
    const t = await createTenant();
    // Enough finished orders that a scan of orders would cost far more than the index.
    await getDb().execute(sql`
      insert into ${orders} (id, account_id, environment, order_number, reference, status, order_date, ship_to)
      select 'ord_bulk_' || ${t.accountId} || '_' || g, ${t.accountId}, 'sandbox', 'BULK-' || g, 'BULK-' || g, 'shipped', now(), '{}'::jsonb
        from generate_series(1, 30000) g`);
    // And as many parcels still with the carrier, all scanned a moment ago: none can be overdue, so none is read.
    await getDb().execute(sql`
      insert into ${shipments} (id, account_id, environment, order_id, warehouse_id, status, shipped_at, status_occurred_at)
      select 'shp_bulk_' || ${t.accountId} || '_' || g, ${t.accountId}, 'sandbox', 'ord_bulk_' || ${t.accountId} || '_' || g, ${t.warehouses.syd},
             (array['shipped', 'in_transit', 'out_for_delivery'])[1 + g % 3]::shipment_status, now(), now()
        from generate_series(1, 30000) g`);
    await getDb().execute(sql`analyze ${orders}`);
    await getDb().execute(sql`analyze ${shipments}`);
    const now = new Date();
    const plan = await queryRows<{ "QUERY PLAN": string }>(getDb(), sql`explain ${stuckSql(now, {}, [], await carrierDueBy(getDb(), now))}`);
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toContain("orders_open_stage_idx");
    expect(text).not.toMatch(/Seq Scan on orders/);
    expect(text).toContain("shipments_status_since_idx");
    expect(text).not.toMatch(/Seq Scan on shipments/);
  });
});
