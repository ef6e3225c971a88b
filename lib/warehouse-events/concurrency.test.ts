import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orderEvents, shipments, warehouseEvents } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { recomputeFromLedger, stockOf } from "@/e2e/support/inventory";
import { placeTestOrder } from "@/e2e/support/orders";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { loadOrder } from "@/lib/orders/present";
import { saveStatusMapping } from "@/lib/status-mapping/mappings";
import { processWarehouseEvent, replayWarehouseEvent } from "./process";

describe.skipIf(!onPostgres)(`warehouse events under concurrency (${needsPostgres})`, () => {
  it("applies one of many concurrent copies of an event; every other copy is a duplicate", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 2 }]);
    const body = {
      event_id: `dup-${Date.now()}`,
      source: "wms",
      status: "SHIPPED",
      order_id: order.id,
      occurred_at: new Date().toISOString(),
      shipment: { parcels: [{ tracking_number: `TRK-${Date.now()}` }] },
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => processWarehouseEvent(getDb(), { ...t, actor: "race" }, body)));
    expect(results.filter((r) => !r.duplicate).map((r) => !r.duplicate && r.state)).toEqual(["applied"]);
    expect(results.filter((r) => r.duplicate)).toHaveLength(9);
    expect(await getDb().select().from(shipments).where(eq(shipments.orderId, order.id))).toHaveLength(1);
    expect(await getDb().select().from(warehouseEvents).where(eq(warehouseEvents.eventId, body.event_id))).toHaveLength(1);
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("shipped");
  });

  it("serializes different events on one order: whatever the arrival order, the order ends shipped and nothing rolls back", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 3 }]);
    const minute = (m: number) => new Date(Date.UTC(2026, 6, 2, 9, m)).toISOString();
    const events = [
      { status: "RELEASED", occurred_at: minute(1) },
      { status: "PICKING", occurred_at: minute(2) },
      { status: "PICKED", occurred_at: minute(3) },
      { status: "PACKED", occurred_at: minute(4) },
      { status: "SHIPPED", occurred_at: minute(5), shipment: { id: `WMS-${Date.now()}`, items: [{ sku: "WIDGET", quantity: 3 }] } },
    ].map((e, i) => ({ event_id: `ser-${Date.now()}-${i}`, source: "wms", order_id: order.id, ...e }));
    const results = await Promise.all(events.map((e) => processWarehouseEvent(getDb(), { ...t, actor: "race" }, e)));
    for (const r of results) expect(r.duplicate ? "duplicate" : r.state).toMatch(/^(applied|stale)$/);
    const after = await loadOrder(getDb(), t.ctx, order.id);
    expect(after.status).toBe("shipped");
    expect(after.shipments).toHaveLength(1);
    expect(await stockOf(t, sku.sku, t.warehouses.syd)).toMatchObject({ onHand: 7, allocated: 0 });
    const timeline = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(asc(orderEvents.recordedAt));
    expect(timeline.filter((e) => e.type === "shipment_created")).toHaveLength(1);
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
  });

  it("applies a failed event once when two people press Retry at the same moment", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    const source = `race-${Date.now()}`;
    const failed = await processWarehouseEvent(getDb(), { ...t, actor: "race" }, { event_id: `r-${Date.now()}`, source, status: "GO", order_id: order.id, occurred_at: new Date().toISOString() });
    if (failed.duplicate) throw new Error("unexpected duplicate");
    await saveStatusMapping(getDb(), { actor: "ops@example.test", source: "dashboard" }, { source, rawStatus: "GO", appliesTo: "order", canonicalStatus: "processing", customerMessage: "Picking." });
    const replays = await Promise.all([1, 2, 3].map(() => replayWarehouseEvent(getDb(), "ops@example.test", failed.id)));
    expect(replays.filter((r) => r.replayed)).toHaveLength(1);
    expect(replays.every((r) => r.event.state === "applied")).toBe(true);
    const picks = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(picks.filter((e) => e.type === "picking_started")).toHaveLength(1);
  });
});
