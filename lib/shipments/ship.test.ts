import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { allocations, inventoryLedger, orderEvents, orderLines, orders, shipmentParcels, shipments } from "@/db/schema";
import { loadOrder } from "@/lib/orders/present";
import { FulfillmentError } from "./errors";
import { startPicking } from "./pick";
import { createShipment, generateTrackingNumber } from "./ship";
import { fulfillmentFootprint, outboxOf } from "@/e2e/support/footprints";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx } from "@/e2e/support/factories";
import { stockOf } from "@/e2e/support/inventory";

const run = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(getDb(), fn);

async function refusal(promise: Promise<unknown>): Promise<FulfillmentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FulfillmentError);
  return error as FulfillmentError;
}

describe("startPicking", () => {
  it("moves a received order to processing once, with a timeline event and order.updated", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
    const ctx = sandboxCtx(t);

    const first = await run((tx) => startPicking(tx, ctx, { orderId: order.id, rawStatus: "PICKING" }));
    expect(first.outcome).toBe("applied");
    expect(first.order).toMatchObject({ status: "processing", version: Number(order.version) + 1 });
    const now = await loadOrder(getDb(), t.ctx, order.id);
    expect(now.status).toBe("processing");
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(asc(orderEvents.recordedAt));
    expect(events.at(-1)).toMatchObject({ type: "picking_started", status: "processing", source: "sandbox", rawStatus: "PICKING", actor: "test-key" });
    const updates = await outboxOf(t, "order.updated");
    expect(updates.at(-1)!.payload).toMatchObject({ id: order.id, status: "processing" });

    const before = await fulfillmentFootprint(t, order.id);
    const again = await run((tx) => startPicking(tx, ctx, { orderId: order.id }));
    expect(again.outcome).toBe("unchanged");
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
  });

  it("refuses backordered, cancelled, shipped and unknown orders before writing anything", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 1 });
    const ctx = sandboxCtx(t);
    const backordered = await placeTestOrder(t, [{ sku: "BLUE", quantity: 5 }]);
    expect(backordered.status).toBe("backordered");
    const before = await fulfillmentFootprint(t, backordered.id);
    const e = await refusal(run((tx) => startPicking(tx, ctx, { orderId: backordered.id })));
    expect(e).toMatchObject({ reason: "order_not_pickable", code: "validation_error", details: { order_status: "backordered" } });
    expect(await fulfillmentFootprint(t, backordered.id)).toEqual(before);

    await getDb().update(orders).set({ status: "cancelled" }).where(eq(orders.id, backordered.id));
    expect(await refusal(run((tx) => startPicking(tx, ctx, { orderId: backordered.id })))).toMatchObject({ reason: "order_not_pickable" });

    const shipped = await placeTestOrder(t, [{ sku: "BLUE", quantity: 1 }]);
    await run((tx) => createShipment(tx, ctx, { orderId: shipped.id }));
    expect(await refusal(run((tx) => startPicking(tx, ctx, { orderId: shipped.id })))).toMatchObject({
      code: "already_shipped",
      details: { order_status: "shipped" },
    });

    const other = await createTenant();
    await expect(run((tx) => startPicking(tx, sandboxCtx(other), { orderId: shipped.id }))).rejects.toMatchObject({ code: "not_found" });
    await expect(run((tx) => startPicking(tx, { ...ctx, environment: "live" }, { orderId: shipped.id }))).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("createShipment", () => {
  it("by default ships every unit in one parcel: stock consumed, lines shipped, order shipped, timeline and webhook", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    await createSku(t, "RED", { [t.warehouses.syd]: 4 });
    const order = await placeTestOrder(t, [
      { sku: "BLUE", quantity: 3 },
      { sku: "RED", quantity: 4 },
    ]);
    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 10, allocated: 3 });
    const ctx = sandboxCtx(t);

    const result = await run((tx) => createShipment(tx, ctx, { orderId: order.id, cost: { amount: "12.4", currency: "AUD" } }));
    expect(result.created).toBe(true);
    expect(result.orderStatus).toBe("shipped");
    const s = result.shipment;
    expect(s).toMatchObject({ order_id: order.id, order_number: order.order_number, status: "shipped", voided: false, warehouse_id: t.warehouses.syd });
    expect(s.cost).toEqual({ amount: "12.40", currency: "AUD" });
    expect(s.items).toEqual([
      { sku: "BLUE", quantity: 3 },
      { sku: "RED", quantity: 4 },
    ]);
    expect(s.parcels).toHaveLength(1);
    const [parcel] = s.parcels;
    expect(parcel.tracking_number).toMatch(/^SBX[0-9A-Z]{14}$/);
    expect(parcel).toMatchObject({ carrier: "auspost", tracking_url: `https://auspost.com.au/mypost/track/details/${parcel.tracking_number}` });
    expect(parcel.service).toContain("Express Post");

    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 7, allocated: 0 });
    expect(await stockOf(t, "RED")).toMatchObject({ onHand: 0, allocated: 0 });
    const lines = await getDb().select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
    expect(lines.map((l) => [l.quantityShipped, l.quantityAllocated])).toEqual([
      [3, 0],
      [4, 0],
    ]);
    const allocs = await getDb().select().from(allocations).where(eq(allocations.orderId, order.id));
    expect(allocs.every((a) => a.status === "consumed")).toBe(true);
    const ledger = await getDb().select().from(inventoryLedger).where(eq(inventoryLedger.refId, s.id));
    expect(ledger.map((l) => [l.kind, l.deltaOnHand, l.deltaAllocated, l.source]).sort()).toEqual([
      ["ship", -3, -3, "sandbox"],
      ["ship", -4, -4, "sandbox"],
    ]);

    const presented = await loadOrder(getDb(), t.ctx, order.id);
    expect(presented.status).toBe("shipped");
    expect(presented.items.map((i) => i.quantity_shipped)).toEqual([3, 4]);
    expect(presented.shipments).toEqual([s]);
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    const shippedEvent = events.find((e) => e.type === "shipment_created")!;
    expect(shippedEvent).toMatchObject({ status: "shipped", source: "sandbox" });
    expect(shippedEvent.message).toContain("had not reported picking");
    expect(shippedEvent.data).toMatchObject({ shipment_id: s.id, pick_reported: false });
    const created = await outboxOf(t, "shipment.created");
    expect(created.map((e) => e.payload)).toEqual([s]);
  });

  it("ships in parts: two parcels with their own tracking numbers, partially_shipped, then the rest, shipped", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    await createSku(t, "RED", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [
      { sku: "BLUE", quantity: 5 },
      { sku: "RED", quantity: 2 },
    ]);
    const ctx = sandboxCtx(t);
    await run((tx) => startPicking(tx, ctx, { orderId: order.id }));

    const first = await run((tx) =>
      createShipment(tx, ctx, {
        orderId: order.id,
        items: [{ sku: "BLUE", quantity: 2 }],
        parcels: [{ trackingNumber: "ABC123456789AU", weight: { value: 1.2, unit: "kg" } }, { trackingNumber: "ABC123456790AU" }],
      }),
    );
    expect(first.orderStatus).toBe("partially_shipped");
    expect(first.shipment.parcels.map((p) => p.tracking_number)).toEqual(["ABC123456789AU", "ABC123456790AU"]);
    expect(first.shipment.parcels[0].weight).toEqual({ value: 1.2, unit: "kg" });
    expect(first.shipment.parcels[1]).not.toHaveProperty("weight");
    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 8, allocated: 3 });
    const [line] = await getDb().select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
    expect([line.quantityShipped, line.quantityAllocated]).toEqual([2, 3]);
    const allocs = await getDb().select().from(allocations).where(eq(allocations.orderLineId, line.id));
    expect(allocs.map((a) => [a.status, a.quantity]).sort()).toEqual([
      ["active", 3],
      ["consumed", 2],
    ]);

    const rest = await run((tx) => createShipment(tx, ctx, { orderId: order.id }));
    expect(rest.orderStatus).toBe("shipped");
    expect(rest.shipment.items).toEqual([
      { sku: "BLUE", quantity: 3 },
      { sku: "RED", quantity: 2 },
    ]);
    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 5, allocated: 0 });
    expect(await stockOf(t, "RED")).toMatchObject({ onHand: 8, allocated: 0 });
    const presented = await loadOrder(getDb(), t.ctx, order.id);
    expect(presented.shipments.map((s) => s.id)).toEqual([first.shipment.id, rest.shipment.id]);
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.filter((e) => e.type === "shipment_created").map((e) => e.data?.pick_reported)).toEqual([true, true]);
  });

  it("refuses unknown SKUs, too many units and duplicate tracking numbers, naming the field, with nothing written", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    await createSku(t, "OTHER", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
    const ctx = sandboxCtx(t);
    const before = await fulfillmentFootprint(t, order.id);
    const stock = await stockOf(t, "BLUE");

    expect(await refusal(run((tx) => createShipment(tx, ctx, { orderId: order.id, items: [{ sku: "OTHER", quantity: 1 }] })))).toMatchObject({
      code: "validation_error",
      reason: "unknown_item",
      field: "items[0].sku",
    });
    expect(
      await refusal(
        run((tx) =>
          createShipment(tx, ctx, {
            orderId: order.id,
            items: [
              { sku: "BLUE", quantity: 1 },
              { sku: "BLUE", quantity: 2 },
            ],
          }),
        ),
      ),
    ).toMatchObject({ code: "validation_error", reason: "too_many_units", field: "items[1].quantity", details: { unshipped_quantity: 2 } });
    expect(
      await refusal(run((tx) => createShipment(tx, ctx, { orderId: order.id, parcels: [{ trackingNumber: "T1" }, { trackingNumber: "T1" }] }))),
    ).toMatchObject({ reason: "duplicate_tracking_number", field: "parcels[1].tracking_number" });

    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
    expect(await stockOf(t, "BLUE")).toEqual(stock);
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("received");
  });

  it("refuses orders with nothing reserved or nothing left to ship", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 1 });
    const ctx = sandboxCtx(t);
    const backordered = await placeTestOrder(t, [{ sku: "BLUE", quantity: 3 }]);
    expect(await refusal(run((tx) => createShipment(tx, ctx, { orderId: backordered.id })))).toMatchObject({
      code: "validation_error",
      reason: "order_not_shippable",
      details: { order_status: "backordered" },
    });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 1 }]);
    await run((tx) => createShipment(tx, ctx, { orderId: order.id }));
    const before = await fulfillmentFootprint(t, order.id);
    expect(await refusal(run((tx) => createShipment(tx, ctx, { orderId: order.id })))).toMatchObject({
      code: "already_shipped",
      details: { order_status: "shipped" },
    });
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
  });

  it("records a shipment reported twice under one external id once", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 4 }]);
    const ctx = { ...sandboxCtx(t), source: "wms" as const };
    const first = await run((tx) => createShipment(tx, ctx, { orderId: order.id, externalId: "wms-shp-1", items: [{ sku: "BLUE", quantity: 1 }] }));
    const before = await fulfillmentFootprint(t, order.id);
    const again = await run((tx) => createShipment(tx, ctx, { orderId: order.id, externalId: "wms-shp-1", items: [{ sku: "BLUE", quantity: 1 }] }));
    expect(again).toMatchObject({ created: false, orderStatus: "partially_shipped" });
    expect(again.shipment).toEqual(first.shipment);
    expect(await fulfillmentFootprint(t, order.id)).toEqual(before);
    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 9, allocated: 3 });
    // Another tenant may use the same external id: it is theirs.
    const other = await createTenant();
    await createSku(other, "BLUE", { [other.warehouses.syd]: 1 });
    const theirs = await placeTestOrder(other, [{ sku: "BLUE", quantity: 1 }]);
    const created = await run((tx) => createShipment(tx, sandboxCtx(other), { orderId: theirs.id, externalId: "wms-shp-1" }));
    expect(created.created).toBe(true);
  });

  it("stores the given parcel details and falls back to the shipping method for the rest", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 1 });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 1 }]);
    const shippedAt = new Date("2026-07-02T22:04:11Z");
    const { shipment } = await run((tx) =>
      createShipment(tx, sandboxCtx(t), {
        orderId: order.id,
        shippedAt,
        parcels: [{ carrier: "dhl", service: "Express Worldwide", trackingUrl: "https://dhl.example/t/1", dimensions: { length: 30, width: 20, height: 10, unit: "cm" } }],
      }),
    );
    expect(shipment.shipped_at).toBe("2026-07-02T22:04:11.000Z");
    expect(shipment.parcels[0]).toMatchObject({ carrier: "dhl", service: "Express Worldwide", tracking_url: "https://dhl.example/t/1" });
    expect(shipment.parcels[0].dimensions).toEqual({ length: 30, width: 20, height: 10, unit: "cm" });
    const [row] = await getDb().select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(row.statusOccurredAt?.toISOString()).toBe("2026-07-02T22:04:11.000Z");
    const [p] = await getDb().select().from(shipmentParcels).where(eq(shipmentParcels.shipmentId, shipment.id));
    expect(p.position).toBe(0);
  });

  it("generates distinct tracking numbers", () => {
    const numbers = new Set(Array.from({ length: 1000 }, () => generateTrackingNumber("live")));
    expect(numbers.size).toBe(1000);
    expect([...numbers][0]).toMatch(/^HUB[0-9A-Z]{14}$/);
  });
});
