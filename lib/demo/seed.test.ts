import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, queryRows, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { channelOrders, dashboardUsers, operationalExceptions, orderEvents, orderLines, orders, routingRules, shipments, skuMappings, warehouses, webhookDeliveries } from "@/db/schema";
import { recomputeFromLedger } from "@/e2e/support/inventory";
import { verifyCredentials } from "@/lib/auth/dashboard-users";
import { listConnections } from "@/lib/channels/shopify/connections";
import { listDeadPushes } from "@/lib/channels/shopify/push/dead-letters";
import { PUSH_FAILED_EXCEPTION } from "@/lib/channels/shopify/push/fulfillment";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "@/lib/demo/seed";
import { DEMO_SHOP, UNMAPPED_SHOP_SKU } from "@/lib/demo/shop";
import { loadHealthSeries } from "@/lib/metrics/series";
import { loadOverview } from "@/lib/overview/overview";
import { listCutoffs } from "@/lib/stuck-orders/settings";
import { listFailedEvents } from "@/lib/warehouse-events/dashboard";
import { listDeadLetters, listEndpointHealth } from "@/lib/webhooks/dashboard";
import { shipmentJson } from "@/lib/shipments/present";

// The demo seed writes 3PL-wide reference data and fixed account names, so it gets a database of its own
// (in memory) whatever database the rest of the suite runs on.
let handle: DatabaseHandle;

beforeAll(async () => {
  // url "": embedded even when the suite runs on PostgreSQL.
  handle = createDatabase({ url: "", dataDir: "memory://" });
  await migrateDatabase(handle);
});

afterAll(async () => {
  await handle.close();
});

describe("demo seed", () => {
  it("creates orders in every status through the domain functions, once", async () => {
    const first = await seedDemoData(handle.db);
    expect(first.seeded).toBe(true);

    const byStatus = await queryRows<{ status: string; n: number }>(handle.db, sql`select status, count(*)::int as n from orders group by status`);
    const statuses = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    for (const status of ["received", "processing", "partially_shipped", "shipped", "on_hold", "backordered", "cancelled"]) {
      expect(statuses[status], status).toBeGreaterThan(0);
    }
    const [{ value: total }] = await handle.db.select({ value: count() }).from(orders);
    expect(Number(total)).toBeGreaterThanOrEqual(25);

    // Real timelines: a stale carrier report, events in the past, exceptions for held orders.
    const [{ value: stale }] = await handle.db.select({ value: count() }).from(orderEvents).where(eq(orderEvents.stale, true));
    expect(Number(stale)).toBeGreaterThan(0);
    const [{ value: future }] = await handle.db.select({ value: count() }).from(orderEvents).where(sql`${orderEvents.occurredAt} > now()`);
    expect(Number(future)).toBe(0);
    const [{ value: open }] = await handle.db.select({ value: count() }).from(operationalExceptions).where(eq(operationalExceptions.status, "open"));
    expect(Number(open)).toBeGreaterThan(0);

    // Two cities in both environments, and the stock ledger agrees with the stock levels.
    const whs = await handle.db.select().from(warehouses);
    expect(new Set(whs.map((w) => `${w.environment}:${w.code}`))).toEqual(new Set(["live:SYD", "live:MEL", "sandbox:SYD", "sandbox:MEL"]));
    expect(await recomputeFromLedger(handle.db)).toEqual([]);

    // Every shipment's stored document is what its tables render now (the seed back-dates created_at).
    const [{ shipments: shipped, stale: staleDocuments }] = await queryRows<{ shipments: number; stale: number }>(
      handle.db,
      sql`select count(*)::int as shipments, count(*) filter (where document is null or document::text <> ${shipmentJson(shipments)}::text)::int as stale from ${shipments}`,
    );
    expect(shipped).toBeGreaterThan(0);
    expect(staleDocuments).toBe(0);

    const second = await seedDemoData(handle.db);
    expect(second.seeded).toBe(false);
    const [{ value: again }] = await handle.db.select({ value: count() }).from(orders);
    expect(Number(again)).toBe(Number(total));
  });

  it("shows the people on duty a queue worth clearing: orders stuck at several stages, a group held on one SKU, a dead push", async () => {
    const open = await queryRows<{ kind: string; stage: string | null; n: number }>(
      handle.db,
      sql`select kind, data->>'stage' as stage, count(*)::int as n from ${operationalExceptions} where status = 'open' group by 1, 2`,
    );
    const stages = open.filter((r) => r.kind === "stuck_order").map((r) => r.stage);
    // Measured from the time of seeding, so a demo started any day shows the same.
    for (const stage of ["not_released", "not_picked", "not_shipped", "stalled_in_transit", "backordered_too_long", "channel_not_updated", "return_not_restocked"]) {
      expect(stages, stage).toContain(stage);
    }
    const held = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(distinct o.id)::int as n from ${orders} o join ${orderLines} l on l.order_id = o.id
           where o.status = 'on_hold' and o.hold_reason = 'unmapped_sku' and l.channel_sku = ${UNMAPPED_SHOP_SKU}`,
    );
    expect(held[0].n).toBeGreaterThanOrEqual(3);
    expect(open.find((r) => r.kind === "unmapped_sku")?.n).toBeGreaterThanOrEqual(3);
    expect(open.find((r) => r.kind === PUSH_FAILED_EXCEPTION)?.n).toBe(1);
    const dead = await listDeadPushes(handle.db);
    expect(dead.map((d) => d.kind)).toContain("fulfillment");
  });

  it("gives every dashboard page real-looking data: shop, SKU map, routing, webhooks, failed events, cut-offs and 72 h of metrics", async () => {
    const [shop] = await listConnections(handle.db);
    expect(shop).toMatchObject({ shopDomain: DEMO_SHOP });
    const synced = await handle.db.select().from(channelOrders).where(eq(channelOrders.shopDomain, DEMO_SHOP));
    expect(synced.length).toBeGreaterThanOrEqual(9);
    expect((await handle.db.select().from(skuMappings)).length).toBeGreaterThanOrEqual(4);
    expect((await handle.db.select().from(routingRules)).length).toBeGreaterThanOrEqual(3);

    const endpoints = await listEndpointHealth(handle.db);
    expect(endpoints).toHaveLength(2);
    expect(endpoints.filter((e) => e.failingSince !== null)).toHaveLength(1);
    expect((await listDeadLetters(handle.db)).length).toBe(1);
    const [{ succeeded }] = await queryRows<{ succeeded: number }>(handle.db, sql`select count(*)::int as succeeded from ${webhookDeliveries} where status = 'succeeded'`);
    expect(succeeded).toBeGreaterThan(0);

    expect((await listFailedEvents(handle.db)).map((e) => e.reason).sort()).toHaveLength(2);
    expect((await listCutoffs(handle.db)).filter((w) => w.environment === "live" && w.cutoffTime)).toHaveLength(2);

    // Every chart of /metrics has points over 72 h, and the incident shows as a spike that recovered.
    const series = await loadHealthSeries(handle.db, { hours: 72 });
    for (const key of ["submissionLag", "unmappedRate", "fulfillmentCallback", "inventoryLag", "apiErrors", "deadLetters", "feedHoldBack"] as const) {
      expect(series[key].length, key).toBeGreaterThan(10);
    }
    const worst = series.fulfillmentCallback.map((p) => Number(p.worst));
    expect(Math.max(...worst)).toBeGreaterThan(600);
    expect(worst[worst.length - 1]).toBeLessThan(60);

    // The overview's tiles each draw a day: a sparkline with a point in (nearly) every hour.
    const overview = await loadOverview(handle.db, "ops");
    const tiles = [...(overview.exceptions ?? []), ...(overview.stuck ?? []), ...(overview.sync ?? [])];
    expect(tiles.length).toBeGreaterThan(5);
    for (const tile of tiles) expect(tile.spark.filter((point) => point !== null).length, tile.label).toBeGreaterThanOrEqual(20);
  });

  it("creates the four demo logins with the documented password", async () => {
    const users = await handle.db.select().from(dashboardUsers);
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
    const admin = await verifyCredentials(handle.db, "admin@demo.test", DEMO_PASSWORD);
    expect(admin?.role).toBe("admin");
    expect(await verifyCredentials(handle.db, "admin@demo.test", "wrong-password")).toBeNull();
  });
});
