import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { orderEvents, shipments } from "@/db/schema";
import { loadOrder } from "@/lib/orders/present";
import { createShipment } from "./ship";
import { canMove, updateShipmentStatus, voidShipment } from "./status";
import { fulfillmentFootprint, outboxOf } from "@/e2e/support/footprints";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx } from "@/e2e/support/factories";
import { stockOf } from "@/e2e/support/inventory";

const run = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(getDb(), fn);

async function shippedOrder() {
  const t = await createTenant();
  await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
  const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
  const ctx = { ...sandboxCtx(t), source: "carrier" as const };
  const shippedAt = new Date("2026-07-02T10:00:00Z");
  const { shipment } = await run((tx) => createShipment(tx, ctx, { orderId: order.id, shippedAt }));
  return { t, ctx, order, shipment };
}

const at = (iso: string) => new Date(iso);

describe("updateShipmentStatus", () => {
  it("follows the carrier forward, emits shipment.updated each time, and moves the order's clock", async () => {
    const { t, ctx, order, shipment } = await shippedOrder();
    const orderBefore = await loadOrder(getDb(), t.ctx, order.id);
    for (const [status, time] of [
      ["in_transit", "2026-07-02T12:00:00Z"],
      ["out_for_delivery", "2026-07-03T08:00:00Z"],
      ["delivered", "2026-07-03T15:00:00Z"],
    ] as const) {
      const r = await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status, occurredAt: at(time), rawStatus: status.toUpperCase() }));
      expect(r.outcome).toBe("applied");
      expect(r.shipment.status).toBe(status);
    }
    const updates = await outboxOf(t, "shipment.updated");
    expect(updates.map((u) => u.payload.status)).toEqual(["in_transit", "out_for_delivery", "delivered"]);
    const orderAfter = await loadOrder(getDb(), t.ctx, order.id);
    expect(Number(orderAfter.version)).toBe(Number(orderBefore.version) + 3);
    expect(orderAfter.shipments[0].status).toBe("delivered");
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(asc(orderEvents.recordedAt));
    expect(events.filter((e) => e.type === "shipment_status").map((e) => [e.status, e.rawStatus, e.source, e.stale])).toEqual([
      ["in_transit", "IN_TRANSIT", "carrier", false],
      ["out_for_delivery", "OUT_FOR_DELIVERY", "carrier", false],
      ["delivered", "DELIVERED", "carrier", false],
    ]);
  });

  it("keeps an older report on the timeline as stale and never rolls the status back", async () => {
    const { t, ctx, order, shipment } = await shippedOrder();
    await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "out_for_delivery", occurredAt: at("2026-07-03T08:00:00Z") }));
    const outbox = (await outboxOf(t, "shipment.updated")).length;
    const [before] = await getDb().select().from(shipments).where(eq(shipments.id, shipment.id));

    const late = await run((tx) =>
      updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "in_transit", occurredAt: at("2026-07-02T12:00:00Z"), rawStatus: "IN_TRANSIT" }),
    );
    expect(late.outcome).toBe("stale");
    expect(late.shipment.status).toBe("out_for_delivery");
    const [after] = await getDb().select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(after).toEqual(before);
    expect((await outboxOf(t, "shipment.updated")).length).toBe(outbox);
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(asc(orderEvents.recordedAt));
    expect(events.at(-1)).toMatchObject({ type: "shipment_status", status: "in_transit", stale: true, rawStatus: "IN_TRANSIT" });
    expect(events.at(-1)!.occurredAt.toISOString()).toBe("2026-07-02T12:00:00.000Z");

    // Even an older "delivered" does not apply over a newer status.
    const older = await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "delivered", occurredAt: at("2026-07-02T11:00:00Z") }));
    expect(older.outcome).toBe("stale");
  });

  it("refuses a newer report that goes backwards, allows exception anywhere and recovery from it", async () => {
    const { t, ctx, order, shipment } = await shippedOrder();
    await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "out_for_delivery" }));
    const before = await fulfillmentFootprint(t, order.id);
    await expect(run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "in_transit" }))).rejects.toMatchObject({
      code: "validation_error",
      reason: "status_regression",
      field: "status",
      details: { shipment_status: "out_for_delivery" },
    });
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);

    expect((await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "exception" }))).shipment.status).toBe("exception");
    expect((await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "in_transit" }))).shipment.status).toBe("in_transit");
    const same = await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "in_transit" }));
    expect(same.outcome).toBe("unchanged");
    expect(canMove("delivered", "exception")).toBe(true);
    expect(canMove("delivered", "in_transit")).toBe(false);
    expect(canMove("shipped", "shipped")).toBe(false);
  });

  it("is tenant-scoped", async () => {
    const { ctx, shipment } = await shippedOrder();
    const other = await createTenant();
    await expect(run((tx) => updateShipmentStatus(tx, sandboxCtx(other), { shipmentId: shipment.id, status: "in_transit" }))).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(run((tx) => voidShipment(tx, { ...ctx, environment: "live" }, { shipmentId: shipment.id }))).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("voidShipment", () => {
  it("flags the shipment voided without restocking, once; later statuses are refused", async () => {
    const { t, ctx, order, shipment } = await shippedOrder();
    const stock = await stockOf(t, "BLUE");
    const r = await run((tx) => voidShipment(tx, ctx, { shipmentId: shipment.id, rawStatus: "VOIDED" }));
    expect(r.outcome).toBe("applied");
    expect(r.shipment).toMatchObject({ id: shipment.id, voided: true, status: "voided", parcels: shipment.parcels, items: shipment.items });
    expect(await stockOf(t, "BLUE")).toEqual(stock);
    const presented = await loadOrder(getDb(), t.ctx, order.id);
    expect(presented.status).toBe("shipped");
    expect(presented.items[0].quantity_shipped).toBe(2);
    expect(presented.shipments[0]).toMatchObject({ voided: true, status: "voided" });
    const updates = await outboxOf(t, "shipment.updated");
    expect(updates.map((u) => u.payload)).toEqual([r.shipment]);
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.find((e) => e.type === "shipment_voided")).toMatchObject({ status: "voided", rawStatus: "VOIDED" });

    const before = await fulfillmentFootprint(t, order.id);
    expect((await run((tx) => voidShipment(tx, ctx, { shipmentId: shipment.id }))).outcome).toBe("unchanged");
    await expect(run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "delivered" }))).rejects.toMatchObject({
      reason: "shipment_voided",
      code: "validation_error",
    });
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
  });

  it("cannot void a delivered shipment", async () => {
    const { ctx, shipment } = await shippedOrder();
    await run((tx) => updateShipmentStatus(tx, ctx, { shipmentId: shipment.id, status: "delivered" }));
    await expect(run((tx) => voidShipment(tx, ctx, { shipmentId: shipment.id }))).rejects.toMatchObject({ reason: "shipment_delivered" });
  });
});
