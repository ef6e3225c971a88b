import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orderEvents, orders, shipments, warehouseEvents } from "@/db/schema";
import { createSku, createTenant, keyWithRole, type TestTenant } from "@/e2e/support/factories";
import { countRows, outboxTypes } from "@/e2e/support/footprints";
import { placeTestOrder } from "@/e2e/support/orders";
import { call } from "@/e2e/support/route-calls";
import { loadOrder } from "@/lib/orders/present";
import { POST } from "./route";

const at = (minute: number) => new Date(Date.UTC(2026, 6, 2, 9, minute)).toISOString();
let seq = 0;
const evt = (body: Record<string, unknown>) => ({ event_id: `wms-evt-${Date.now()}-${++seq}`, source: "wms", occurred_at: at(seq % 50), ...body });

async function setup(): Promise<{ t: TestTenant; wh: string }> {
  const t = await createTenant();
  await createSku(t, "WIDGET", { [t.warehouses.syd]: 20 });
  await createSku(t, "GADGET", { [t.warehouses.syd]: 20 });
  return { t, wh: await keyWithRole(t, "warehouse") };
}

async function timeline(orderId: string) {
  return getDb().select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.recordedAt), asc(orderEvents.id));
}

describe("POST /v1/warehouse-events", () => {
  it("accepts only warehouse keys and writes nothing on bad input", async () => {
    const { t, wh } = await setup();
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    const partner = await call(POST, "/v1/warehouse-events", { key: t.key, body: evt({ status: "PICKING", order_id: order.id }) });
    expect([partner.status, partner.body.error.code]).toEqual([403, "forbidden"]);
    expect((await call(POST, "/v1/warehouse-events", { body: evt({ status: "PICKING" }) })).status).toBe(401);

    const bad: [Record<string, unknown> | string, number, string, string | undefined][] = [
      ["{not json", 400, "invalid_json", undefined],
      [{ source: "wms", status: "PICKING", occurred_at: at(1), order_id: order.id }, 422, "validation_error", "event_id"],
      [evt({ status: "PICKING", order_id: order.id, occurred_at: "yesterday" }), 422, "validation_error", "occurred_at"],
      [evt({ type: "teleport", order_id: order.id }), 422, "validation_error", "type"],
      [evt({ status: "PICKING", order_id: order.id, colour: "red" }), 422, "validation_error", "colour"],
      [evt({ type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, quantity_delta: 2, on_hand: 5, reason: "found" }), 422, "validation_error", "on_hand"],
      [evt({ type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, quantity_delta: 2 }), 422, "validation_error", "reason"],
      [evt({ status: "SHIPPED", order_id: order.id, shipment: { items: [{ sku: "WIDGET", quantity: 0 }] } }), 422, "validation_error", "shipment.items[0].quantity"],
    ];
    for (const [body, status, code, field] of bad) {
      const res = await call(POST, "/v1/warehouse-events", typeof body === "string" ? { key: wh, rawBody: body, headers: { "content-type": "application/json" } } : { key: wh, body });
      expect([res.status, res.body.error.code, res.body.error.field]).toEqual([status, code, field]);
      expect(res.body.error.request_id).toEqual(expect.any(String));
    }
    const wrongType = await call(POST, "/v1/warehouse-events", { key: wh, rawBody: "{}", headers: { "content-type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect(await countRows("warehouse_events", t.accountId)).toBe(0);
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("received");
  });

  it("walks an order through the WMS and the carrier; repeats are duplicates; late scans are stale, never a rollback", async () => {
    const { t, wh } = await setup();
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 2 }, { sku: "GADGET", quantity: 1 }]);
    const post = (body: Record<string, unknown>) => call(POST, "/v1/warehouse-events", { key: wh, body });

    expect((await post(evt({ status: "RELEASED", order_id: order.id, occurred_at: at(1) }))).body).toEqual({ accepted: true, state: "applied" });
    const picking = evt({ status: "PICKING", order_id: order.id, occurred_at: at(2) });
    expect((await post(picking)).body).toEqual({ accepted: true, state: "applied" });
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("processing");
    // The same event again: 200 duplicate, nothing written.
    const eventsBefore = (await timeline(order.id)).length;
    const repeat = await post(picking);
    expect([repeat.status, repeat.body]).toEqual([200, { duplicate: true }]);
    expect(await timeline(order.id)).toHaveLength(eventsBefore);

    expect((await post(evt({ status: "packed", order_id: order.id, occurred_at: at(4) }))).body.state).toBe("applied");
    // An older "picked" after "packed": same status, older report → stale, kept on the timeline.
    expect((await post(evt({ status: "PICKED", order_id: order.id, occurred_at: at(3) }))).body).toMatchObject({ accepted: true, state: "stale" });

    const tag = `${Date.now()}`;
    const shipped = await post(
      evt({
        status: "SHIPPED",
        order_id: order.id,
        occurred_at: at(10),
        shipment: {
          id: `WMS-SHP-${tag}`,
          items: [{ sku: "WIDGET", quantity: 2 }, { sku: "GADGET", quantity: 1 }],
          parcels: [
            { tracking_number: `TRK-A-${tag}`, carrier: "auspost", weight: { value: 1.2, unit: "kg" } },
            { tracking_number: `TRK-B-${tag}`, carrier: "auspost" },
          ],
          cost: { amount: "12.40", currency: "AUD" },
        },
      }),
    );
    expect(shipped.body).toEqual({ accepted: true, state: "applied" });
    const afterShip = await loadOrder(getDb(), t.ctx, order.id);
    expect(afterShip.status).toBe("shipped");
    expect(afterShip.shipments).toHaveLength(1);
    const shipment = afterShip.shipments[0];
    expect(shipment.parcels.map((p) => p.tracking_number)).toEqual([`TRK-A-${tag}`, `TRK-B-${tag}`]);
    expect(shipment.cost).toEqual({ amount: "12.40", currency: "AUD" });
    expect(shipment.shipped_at).toBe(at(10));

    // The same WMS shipment reported again under a new event id: recorded as duplicate, no second shipment.
    const again = await post(evt({ status: "MANIFESTED", order_id: order.id, occurred_at: at(11), shipment: { id: `WMS-SHP-${tag}` } }));
    expect(again.body).toMatchObject({ state: "duplicate", reason: "shipment_already_recorded" });
    expect(await getDb().select().from(shipments).where(eq(shipments.orderId, order.id))).toHaveLength(1);

    const tracking = shipment.parcels[0].tracking_number;
    const carrier = (status: string, minute: number) => post(evt({ source: "carrier", status, tracking_number: tracking, occurred_at: at(minute) }));
    expect((await carrier("LABEL_CREATED", 12)).body).toMatchObject({ state: "ignored" });
    expect((await loadOrder(getDb(), t.ctx, order.id)).shipments[0].status).toBe("shipped");
    expect((await carrier("DELIVERED", 40)).body.state).toBe("applied");
    expect((await carrier("IN_TRANSIT", 20)).body.state).toBe("stale");
    expect((await carrier("OUT_FOR_DELIVERY", 30)).body.state).toBe("stale");
    expect((await loadOrder(getDb(), t.ctx, order.id)).shipments[0].status).toBe("delivered");
    // Late picking report for a shipped order: stale.
    expect((await post(evt({ status: "PICKING", order_id: order.id, occurred_at: at(5) }))).body.state).toBe("stale");

    const events = await timeline(order.id);
    const staleOnes = events.filter((e) => e.stale).map((e) => [e.rawStatus, e.status]);
    expect(staleOnes).toEqual([
      ["PICKED", "processing"],
      ["IN_TRANSIT", "in_transit"],
      ["OUT_FOR_DELIVERY", "out_for_delivery"],
      ["PICKING", "processing"],
    ]);
    expect(events.find((e) => e.rawStatus === "LABEL_CREATED")).toMatchObject({ source: "carrier", stale: false, status: null });
    expect(events.find((e) => e.rawStatus === "DELIVERED")).toMatchObject({ source: "carrier", status: "delivered" });
    expect(events.find((e) => e.rawStatus === "PICKING" && !e.stale)).toMatchObject({ source: "wms", status: "processing" });

    const rows = await getDb()
      .select({ state: warehouseEvents.state, raw: warehouseEvents.rawStatus, attempts: warehouseEvents.attempts, payload: warehouseEvents.payload })
      .from(warehouseEvents)
      .where(and(eq(warehouseEvents.accountId, t.accountId)))
      .orderBy(asc(warehouseEvents.createdAt), asc(warehouseEvents.id));
    expect(rows.map((r) => [r.raw, r.state])).toEqual([
      ["RELEASED", "applied"],
      ["PICKING", "applied"],
      ["PACKED", "applied"],
      ["PICKED", "stale"],
      ["SHIPPED", "applied"],
      ["MANIFESTED", "duplicate"],
      ["LABEL_CREATED", "ignored"],
      ["DELIVERED", "applied"],
      ["IN_TRANSIT", "stale"],
      ["OUT_FOR_DELIVERY", "stale"],
      ["PICKING", "stale"],
    ]);
    expect(rows[2].payload).toMatchObject({ status: "packed", source: "wms" });
    const types = await outboxTypes(t);
    expect(types.filter((x) => x === "shipment.created")).toHaveLength(1);
    expect(types.filter((x) => x === "shipment.updated")).toHaveLength(1);
  });

  it("refuses a label-only report as a shipment even when the WMS sends a payload: LABEL_CREATED is processing, not shipped", async () => {
    const { t, wh } = await setup();
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    const res = await call(POST, "/v1/warehouse-events", {
      key: wh,
      body: evt({ status: "LABEL_CREATED", order_id: order.id, shipment: { parcels: [{ tracking_number: "TRK-LABEL" }] } }),
    });
    expect(res.body.state).toBe("applied");
    const after = await loadOrder(getDb(), t.ctx, order.id);
    expect([after.status, after.shipments]).toEqual(["processing", []]);
    const [row] = await getDb().select().from(orders).where(eq(orders.id, order.id));
    expect(row.status).toBe("processing");
  });
});
