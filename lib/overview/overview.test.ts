import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { metricSamples, operationalExceptions, orders, shipments, warehouseEvents } from "@/db/schema";
import { createTenant, createWarehouse, unique, type TestTenant } from "@/e2e/support/factories";
import { onPostgres } from "@/e2e/support/vitest-env";
import { searchOrders } from "@/lib/dashboard/search";
import { newId } from "@/lib/ids";
import { sampleGauges } from "@/lib/metrics/gauges";
import { METRIC, recordMetrics } from "@/lib/metrics/record";
import { openExceptionsByKind, stuckOrdersByStage } from "./attention";
import { durationText, loadOverview } from "./overview";
import { loadSparks, SPARK_HOURS } from "./sparklines";
import { loadSyncHeadlines } from "./sync";
import { loadWarehouseDays, projectMisses } from "./warehouses";

const HOUR = 3600_000;
const at = (iso: string) => new Date(iso);

async function order(t: TestTenant, warehouseId: string, status: (typeof orders.$inferInsert)["status"], createdAt: string) {
  const id = newId("ord");
  const number = unique("SO");
  await getDb()
    .insert(orders)
    .values({ id, accountId: t.accountId, environment: t.environment, orderNumber: number, reference: number, status, warehouseId, orderDate: at(createdAt), shipTo: { address1: "1 Main St", city: "Sydney", country: "AU" }, createdAt: at(createdAt) });
  return id;
}

async function shipment(t: TestTenant, warehouseId: string, shippedAt: string, options: { voided?: boolean; orderId?: string } = {}) {
  const orderId = options.orderId ?? (await order(t, warehouseId, "shipped", "2026-12-06T00:00:00Z"));
  await getDb()
    .insert(shipments)
    .values({ id: newId("shp"), accountId: t.accountId, environment: t.environment, orderId, warehouseId, shippedAt: at(shippedAt), voided: options.voided ?? false, status: options.voided ? "voided" : "shipped" });
  return orderId;
}

async function exception(t: TestTenant, kind: string, createdAt: string, extra: Partial<typeof operationalExceptions.$inferInsert> = {}) {
  await getDb()
    .insert(operationalExceptions)
    .values({ id: newId("exc"), accountId: t.accountId, environment: t.environment, kind, message: kind, createdAt: at(createdAt), ...extra });
}

describe("projectMisses", () => {
  it("ships at last hour's rate until the cut-off and counts what is left; after the cut-off every due order has missed it", () => {
    expect(projectMisses({ dueOpen: 10, perHour: 4, minutesLeft: 60 })).toBe(6);
    expect(projectMisses({ dueOpen: 10, perHour: 4, minutesLeft: 45 })).toBe(7);
    expect(projectMisses({ dueOpen: 3, perHour: 40, minutesLeft: 120 })).toBe(0);
    expect(projectMisses({ dueOpen: 10, perHour: 0, minutesLeft: 300 })).toBe(10);
    expect(projectMisses({ dueOpen: 10, perHour: 40, minutesLeft: 0 })).toBe(10);
    expect(projectMisses({ dueOpen: 0, perHour: 0, minutesLeft: -30 })).toBe(0);
  });
});

describe("durationText", () => {
  it("says how long something has waited in the units a person reads", () => {
    expect([durationText(12), durationText(240), durationText(2 * 3600 + 300), durationText(3 * 86400 + 4 * 3600)]).toEqual(["12 s", "4 min", "2 h 5 min", "3 d 4 h"]);
  });
});

describe("loadWarehouseDays", () => {
  it("counts what is due by today's cut-off in the warehouse's own zone, what has shipped since its midnight, and projects the misses as the clock moves", async () => {
    const t = await createTenant();
    const db = getDb();
    // Sydney (UTC+11 in December): 14:00 cut-off = 03:00Z; its day began at 13:00Z the day before.
    const syd = await createWarehouse(db, t.environment, { timezone: "Australia/Sydney", cutoffTime: "14:00:00" });
    // New York (UTC-5): at 02:00Z it is 21:00 the day before, so its 14:00 cut-off (19:00Z) has passed.
    const nyc = await createWarehouse(db, t.environment, { timezone: "America/New_York", cutoffTime: "14:00:00" });
    const none = await createWarehouse(db, t.environment, { timezone: "Australia/Sydney" });

    for (const createdAt of ["2026-12-07T20:00:00Z", "2026-12-07T21:00:00Z", "2026-12-07T22:00:00Z", "2026-12-06T10:00:00Z"]) await order(t, syd.id, "received", createdAt);
    await order(t, syd.id, "processing", "2026-12-08T01:00:00Z");
    await order(t, syd.id, "received", "2026-12-08T03:30:00Z"); // after the cut-off: due tomorrow
    await order(t, syd.id, "on_hold", "2026-12-07T20:00:00Z"); // held: not the floor's to ship
    await shipment(t, syd.id, "2026-12-08T01:40:00Z");
    await shipment(t, syd.id, "2026-12-08T01:50:00Z");
    await shipment(t, syd.id, "2026-12-07T14:00:00Z"); // 01:00 local today
    await shipment(t, syd.id, "2026-12-07T12:00:00Z"); // 23:00 local yesterday
    await shipment(t, syd.id, "2026-12-08T01:45:00Z", { voided: true });
    // Two parcels of one order are one order shipped.
    const twice = await shipment(t, syd.id, "2026-12-07T15:00:00Z");
    await shipment(t, syd.id, "2026-12-07T15:05:00Z", { orderId: twice });

    await order(t, nyc.id, "received", "2026-12-07T18:00:00Z");
    await order(t, nyc.id, "received", "2026-12-07T20:00:00Z");
    await order(t, none.id, "received", "2026-12-07T20:00:00Z");

    const scope = { warehouseIds: [syd.id, nyc.id, none.id] };
    const day = async (now: string) => Object.fromEntries((await loadWarehouseDays(db, at(now), scope)).map((d) => [d.id, d]));

    let days = await day("2026-12-08T02:00:00Z");
    expect(days[syd.id]).toMatchObject({ cutoffTime: "14:00", cutoffAt: "2026-12-08T03:00:00Z", dueOpen: 5, shippedToday: 4, lastHour: 2, minutesLeft: 60, willMiss: 3 });
    expect(days[nyc.id]).toMatchObject({ cutoffAt: "2026-12-07T19:00:00Z", dueOpen: 1, minutesLeft: -420, willMiss: 1 });
    expect(days[none.id]).toMatchObject({ cutoffTime: null, cutoffAt: null, dueOpen: 1, minutesLeft: null, willMiss: null });

    // Half an hour later at the same rate: one more fits before the cut-off, not two.
    days = await day("2026-12-08T02:30:00Z");
    expect(days[syd.id]).toMatchObject({ dueOpen: 5, lastHour: 2, minutesLeft: 30, willMiss: 4 });

    // Past the cut-off: every due order has missed it; the one that came in after it is tomorrow's.
    days = await day("2026-12-08T04:00:00Z");
    expect(days[syd.id]).toMatchObject({ dueOpen: 5, minutesLeft: -60, willMiss: 5, lastHour: 0 });

    // Picking one moves nothing (it is still due), shipping it does.
    await db.execute(sql`update ${orders} set status = 'shipped' where warehouse_id = ${syd.id} and created_at = '2026-12-06T10:00:00Z'`);
    days = await day("2026-12-08T02:00:00Z");
    expect(days[syd.id]).toMatchObject({ dueOpen: 4, willMiss: 2 });
  });

  it.runIf(onPostgres)("reads each warehouse's counts through its indexes, never a scan of orders or shipments", async () => {
    const t = await createTenant();
    const db = getDb();
    // No cut-off: every open order is due, whatever the time of day the suite runs.
    const wh = await createWarehouse(db, t.environment);
    const busy = await createWarehouse(db, t.environment);
    // Parcels long delivered, as most are: left "shipped" for weeks they would be overdue parcels to the stuck-order
    // detector, whose plan test shares this database.
    // A warehouse's share of the open queue is a small part of all orders: enough finished orders (and a busy
    // warehouse next door with its own open queue) that a scan, or a walk of every open order, would cost far more.
    await db.execute(sql`
      insert into ${orders} (id, account_id, environment, order_number, reference, status, warehouse_id, order_date, ship_to, created_at)
      select 'ord_ov_' || ${t.accountId} || '_' || g, ${t.accountId}, ${t.environment}, 'OV-' || g, 'OV-' || g,
             (case when g <= 5000 then 'received' else 'shipped' end)::order_status, ${busy.id}, now(), '{}'::jsonb, now() - make_interval(mins => g)
        from generate_series(1, 30000) g`);
    await db.execute(sql`
      insert into ${orders} (id, account_id, environment, order_number, reference, status, warehouse_id, order_date, ship_to)
      select 'ord_ovw_' || ${t.accountId} || '_' || g, ${t.accountId}, ${t.environment}, 'OVW-' || g, 'OVW-' || g, 'received', ${wh.id}, now(), '{}'::jsonb
        from generate_series(1, 50) g`);
    await db.execute(sql`
      insert into ${shipments} (id, account_id, environment, order_id, warehouse_id, status, shipped_at, status_occurred_at)
      select 'shp_ov_' || ${t.accountId} || '_' || g, ${t.accountId}, ${t.environment}, 'ord_ov_' || ${t.accountId} || '_' || g,
             case when g % 10 = 0 then ${wh.id} else ${busy.id} end, 'delivered', now() - make_interval(mins => g), now() - make_interval(mins => g)
        from generate_series(5001, 30000) g`);
    await db.execute(sql`analyze ${orders}`);
    await db.execute(sql`analyze ${shipments}`);
    const plan = async (statement: ReturnType<typeof sql>) => (await queryRows<{ "QUERY PLAN": string }>(db, sql`explain ${statement}`)).map((r) => r["QUERY PLAN"]).join("\n");
    const due = await plan(sql`select count(*) from ${orders} o where o.warehouse_id = ${wh.id} and o.status in ('received', 'processing') and o.created_at < now()`);
    expect(due, due).toContain("orders_warehouse_id_created_at_open_idx");
    const shipped = await plan(sql`select count(distinct s.order_id) from ${shipments} s where s.warehouse_id = ${wh.id} and s.shipped_at >= now() - interval '1 day' and s.shipped_at <= now() and not s.voided`);
    expect(shipped, shipped).toContain("shipments_warehouse_id_shipped_at_idx");
    expect(`${due}\n${shipped}`).not.toMatch(/Seq Scan on (orders|shipments)/);
    const [day] = await loadWarehouseDays(db, new Date(), { warehouseIds: [wh.id] });
    expect(day.dueOpen).toBe(50);
  });
});

describe("the orders list behind a warehouse tile", () => {
  it("lists exactly the open orders the tile counts as due today", async () => {
    const t = await createTenant();
    const db = getDb();
    const wh = await createWarehouse(db, t.environment, { timezone: "Australia/Perth", cutoffTime: "12:00:00" });
    const day = 24 * HOUR;
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const due = [await order(t, wh.id, "received", ago(2 * day)), await order(t, wh.id, "received", ago(3 * day)), await order(t, wh.id, "processing", ago(2 * day))];
    await order(t, wh.id, "on_hold", ago(2 * day));
    await order(t, wh.id, "shipped", ago(2 * day));
    await order(t, wh.id, "received", new Date(Date.now() + 2 * day).toISOString()); // after any cut-off of today
    await order(t, t.warehouses.syd, "received", ago(2 * day));
    const [tile] = await loadWarehouseDays(db, new Date(), { warehouseIds: [wh.id] });
    const list = await searchOrders(db, { warehouseId: wh.id, dueToday: true });
    expect(tile.dueOpen).toBe(3);
    expect(list.rows.map((r) => r.id).sort()).toEqual([...due].sort());
    expect((await searchOrders(db, { warehouseId: wh.id })).rows).toHaveLength(6);
  });
});

describe("open exceptions and stuck orders", () => {
  it("counts the queue by kind and stuck orders by stage with the oldest of each, leaving out resolved and snoozed ones", async () => {
    const t = await createTenant();
    const wh = t.warehouses.syd;
    const now = at("2026-12-08T02:00:00Z");
    await exception(t, "unmapped_sku", "2026-12-07T10:00:00Z");
    await exception(t, "unmapped_sku", "2026-12-06T09:00:00Z");
    await exception(t, "routing_failure", "2026-12-07T11:00:00Z");
    await exception(t, "routing_failure", "2026-12-05T11:00:00Z", { status: "resolved" });
    await exception(t, "routing_failure", "2026-12-04T11:00:00Z", { snoozedUntil: at("2026-12-08T05:00:00Z") });
    await exception(t, "cancellation_declined", "2026-12-03T11:00:00Z", { snoozedUntil: at("2026-12-08T01:00:00Z") }); // back in the queue
    for (const [stage, since] of [
      ["not_picked", "2026-12-07T08:00:00Z"],
      ["not_picked", "2026-12-07T06:00:00Z"],
      ["no_carrier_scan", "2026-12-06T06:00:00Z"],
    ]) {
      const orderId = await order(t, wh, "received", since);
      await exception(t, "stuck_order", "2026-12-07T12:00:00Z", { orderId, data: { stage, since } });
    }
    const scope = { accountId: t.accountId };
    expect(await openExceptionsByKind(getDb(), now, scope)).toEqual([
      { key: "stuck_order", count: 3, oldestAt: "2026-12-07T12:00:00Z" },
      { key: "unmapped_sku", count: 2, oldestAt: "2026-12-06T09:00:00Z" },
      { key: "cancellation_declined", count: 1, oldestAt: "2026-12-03T11:00:00Z" },
      { key: "routing_failure", count: 1, oldestAt: "2026-12-07T11:00:00Z" },
    ]);
    expect(await stuckOrdersByStage(getDb(), now, scope)).toEqual([
      { key: "not_picked", count: 2, oldestAt: "2026-12-07T06:00:00Z" },
      { key: "no_carrier_scan", count: 1, oldestAt: "2026-12-06T06:00:00Z" },
    ]);
    // After the snooze ends the routing failure is back.
    expect((await openExceptionsByKind(getDb(), at("2026-12-08T06:00:00Z"), scope)).find((k) => k.key === "routing_failure")?.count).toBe(2);
  });
});

describe("loadSyncHeadlines", () => {
  it("counts failed warehouse events of the scope", async () => {
    const t = await createTenant();
    const before = await loadSyncHeadlines(getDb(), new Date(), { accountId: t.accountId });
    expect(before).toMatchObject({ failedWarehouseEvents: 0, webhookBacklog: 0, shopifyDeadLetters: 0, failingEndpoints: 0, feedHoldBackSeconds: 0 });
    for (const state of ["failed", "failed", "applied"] as const) {
      await getDb()
        .insert(warehouseEvents)
        .values({ id: newId("whe"), accountId: t.accountId, environment: t.environment, eventId: unique("evt"), source: "wms", type: "status", state, payload: {} });
    }
    expect((await loadSyncHeadlines(getDb(), new Date(), { accountId: t.accountId })).failedWarehouseEvents).toBe(2);
  });
});

describe("the metrics loop's sample", () => {
  it("keeps what the overview's sparklines draw: the queue per kind while non-zero, an all row on every pass, the sync headlines", async () => {
    const t = await createTenant();
    const kind = unique("sampled_kind");
    await exception(t, kind, "2026-12-07T10:00:00Z");
    await exception(t, kind, "2026-12-07T11:00:00Z");
    const since = new Date();
    await sampleGauges(getDb());
    const rows = await queryRows<{ name: string; label: string | null; value: number }>(
      getDb(),
      sql`select name, coalesce(labels->>'kind', labels->>'stage') as label, value from ${metricSamples} where recorded_at >= ${since.toISOString()}::timestamptz`,
    );
    const names = new Set(rows.map((r) => r.name));
    for (const name of [METRIC.shopifyPushLag, METRIC.webhookBacklog, METRIC.webhookFailingEndpoints, METRIC.failedWarehouseEvents, METRIC.stuckOrders]) expect(names).toContain(name);
    expect(rows.filter((r) => r.name === METRIC.openExceptions && r.label === kind).map((r) => Number(r.value))).toEqual([2]);
    expect(rows.some((r) => r.name === METRIC.openExceptions && r.label === "all" && Number(r.value) >= 2)).toBe(true);
  });
});

describe("loadSparks", () => {
  it("draws 24 hourly points from the sampled gauges: the worst per hour, zero where the loop ran without the label, a gap where it did not run", async () => {
    const now = at("2030-01-01T12:00:00Z");
    const hoursAgo = (h: number, minutes = 0) => new Date(now.getTime() - h * HOUR - minutes * 60_000);
    const kind = unique("kind");
    // Samples 2030: no other test writes there.
    await getDb().delete(metricSamples).where(sql`${metricSamples.recordedAt} > '2029-12-30' and ${metricSamples.recordedAt} < '2030-01-02'`);
    await recordMetrics(getDb(), [
      { name: METRIC.openExceptions, value: 0, labels: { kind: "all" }, recordedAt: hoursAgo(23, 30) },
      { name: METRIC.openExceptions, value: 5, labels: { kind: "all" }, recordedAt: hoursAgo(2, 50) },
      { name: METRIC.openExceptions, value: 3, labels: { kind }, recordedAt: hoursAgo(2, 50) },
      { name: METRIC.openExceptions, value: 7, labels: { kind }, recordedAt: hoursAgo(2, 20) },
      { name: METRIC.openExceptions, value: 1, labels: { kind: "all" }, recordedAt: hoursAgo(0, 30) },
      { name: METRIC.webhookBacklog, value: 40, recordedAt: hoursAgo(1, 10) },
      { name: METRIC.deadLetterDepth, value: 2, labels: { queue: "shopify_fulfillments" }, recordedAt: hoursAgo(1, 10) },
      { name: METRIC.deadLetterDepth, value: 3, labels: { queue: "shopify_inventory" }, recordedAt: hoursAgo(1, 10) },
      { name: METRIC.deadLetterDepth, value: 9, labels: { queue: "partner_webhooks" }, recordedAt: hoursAgo(1, 10) },
      { name: METRIC.webhookBacklog, value: 99, recordedAt: hoursAgo(25) }, // before the window
    ]);
    const sparks = await loadSparks(getDb(), now, { exceptionKinds: true, sync: true });
    expect(sparks.start).toBe("2029-12-31T12:00:00.000Z");
    const mine = sparks.exceptionKinds.byLabel.get(kind)!;
    expect(mine).toHaveLength(SPARK_HOURS);
    expect(mine[0]).toBe(0);
    expect(mine[21]).toBe(7);
    expect(mine[23]).toBe(0);
    expect(mine[10]).toBeNull();
    expect(sparks.exceptionKinds.quiet[21]).toBe(0);
    expect(sparks.sync.get("webhook_backlog")?.[22]).toBe(40);
    expect(sparks.sync.get("webhook_backlog")?.filter((v) => v !== null)).toEqual([40]);
    expect(sparks.sync.get("shopify_dead")?.[22]).toBe(5);
  });
});

describe("loadOverview", () => {
  it("gives each role its tiles, each linking to the list it counts", async () => {
    const t = await createTenant();
    await exception(t, "unmapped_sku", "2026-12-07T10:00:00Z");
    const orderId = await order(t, t.warehouses.syd, "received", "2026-12-07T06:00:00Z");
    await exception(t, "stuck_order", "2026-12-07T12:00:00Z", { orderId, data: { stage: "not_picked", since: "2026-12-07T06:00:00Z" } });
    const orderId2 = await order(t, t.warehouses.syd, "received", "2026-12-07T06:00:00Z");
    await exception(t, "stuck_order", "2026-12-07T12:00:00Z", { orderId: orderId2, data: { stage: "not_released", since: "2026-12-07T06:00:00Z" } });
    const options = { now: at("2026-12-08T02:00:00Z"), accountId: t.accountId, warehouseIds: [t.warehouses.syd] };

    const support = await loadOverview(getDb(), "support", options);
    expect(support.warehouses).toBeNull();
    expect(support.sync).toBeNull();
    expect(support.exceptions?.find((x) => x.key === "unmapped_sku")).toMatchObject({ count: 1, label: "Unmapped SKU", href: "/exceptions?kind=unmapped_sku" });
    expect(support.stuck?.map((s) => [s.key, s.label, s.href])).toEqual([
      ["not_picked", "Not picked", "/exceptions?kind=stuck_order&stage=not_picked"],
      ["not_released", "Not released to a warehouse", "/exceptions?kind=stuck_order&stage=not_released"],
    ]);
    expect(support.stuck?.[0].spark).toHaveLength(SPARK_HOURS);

    const warehouse = await loadOverview(getDb(), "warehouse", options);
    expect(warehouse.exceptions).toBeNull();
    expect(warehouse.stuck?.map((s) => s.key)).toEqual(["not_picked"]);
    expect(warehouse.warehouses?.map((w) => [w.id, w.dueOpen, w.href])).toEqual([[t.warehouses.syd, 2, `/orders?warehouse=${t.warehouses.syd}&due=today`]]);
    expect(warehouse.sync?.map((s) => s.key)).toEqual(["failed_events"]);

    const ops = await loadOverview(getDb(), "ops", options);
    expect(ops.sync?.map((s) => [s.key, s.href])).toEqual([
      ["shopify", "/channel-failures"],
      ["webhooks", "/webhooks"],
      ["feeds", "/metrics"],
      ["failed_events", "/failed-events"],
    ]);
    expect(ops.exceptions && ops.stuck && ops.warehouses).toBeTruthy();
  });
});
