import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inventoryAdjustments, operationalExceptions, orderEvents, shipments, warehouseEvents } from "@/db/schema";
import { recomputeFromLedger, stockOf } from "@/e2e/support/inventory";
import { cancelOrder } from "@/lib/orders/cancel";
import { loadOrder } from "@/lib/orders/present";
import { createInboundShipment } from "@/lib/inbound/create";
import { createReturn } from "@/lib/returns/create";
import { saveStatusMapping } from "@/lib/status-mapping/mappings";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { processWarehouseEvent, replayWarehouseEvent } from "./process";
import { countRows, outboxTypes } from "@/e2e/support/footprints";
import { placeTestOrder, shippedTestOrder } from "@/e2e/support/orders";

let seq = 0;
const evt = (body: Record<string, unknown>) => ({ event_id: `evt-${Date.now()}-${++seq}`, source: "wms", occurred_at: new Date().toISOString(), ...body });
const report = (t: TestTenant, body: Record<string, unknown>) =>
  processWarehouseEvent(getDb(), { accountId: t.accountId, environment: t.environment, actor: "key_test" }, evt(body));

async function timelineCount(orderId: string) {
  return (await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, orderId))).length;
}

describe("processWarehouseEvent", () => {
  it("stores an unmapped status as failed, applies it exactly once after the mapping is added and the event replayed", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    const before = await timelineCount(order.id);
    const source = `acme-${Date.now()}`;

    const failed = await report(t, { source, status: "IN_PICK_FACE", order_id: order.id });
    expect(failed).toMatchObject({ duplicate: false, state: "failed", reason: "unmapped_status" });
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("received");
    expect(await timelineCount(order.id)).toBe(before);
    if (failed.duplicate) throw new Error("unreachable");

    // Still unmapped: the retry fails again, counted, nothing applied.
    const stillFailing = await replayWarehouseEvent(getDb(), "ops@example.test", failed.id);
    expect([stillFailing.replayed, stillFailing.event.state, stillFailing.event.attempts]).toEqual([true, "failed", 2]);

    await saveStatusMapping(getDb(), { actor: "ops@example.test", source: "dashboard" }, {
      source,
      rawStatus: "IN_PICK_FACE",
      appliesTo: "order",
      canonicalStatus: "processing",
      customerMessage: "Your order is being picked.",
    });
    const replayed = await replayWarehouseEvent(getDb(), "ops@example.test", failed.id);
    expect([replayed.replayed, replayed.event.state, replayed.event.attempts, replayed.event.reason]).toEqual([true, "applied", 3, null]);
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("processing");

    const second = await replayWarehouseEvent(getDb(), "ops@example.test", failed.id);
    expect([second.replayed, second.event.state, second.event.attempts]).toEqual([false, "applied", 3]);
    const picks = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, "picking_started")));
    expect(picks).toHaveLength(1);
    expect(picks[0]).toMatchObject({ actor: "ops@example.test", source: "wms", rawStatus: "IN_PICK_FACE" });
    await expect(replayWarehouseEvent(getDb(), "ops@example.test", "whe_nope")).rejects.toThrow(/not found/);
  });

  it("records, flags and raises an event for a cancelled order without applying it", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    await cancelOrder(getDb(), t.ctx, order.id);
    const flagged = await report(t, { status: "PICKING", order_id: order.id });
    expect(flagged).toMatchObject({ state: "flagged", reason: "order_cancelled" });
    expect((await loadOrder(getDb(), t.ctx, order.id)).status).toBe("cancelled");
    const exceptions = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(exceptions.map((e) => [e.kind, e.status])).toContainEqual(["event_on_cancelled_order", "open"]);
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.find((e) => e.type === "warehouse_event_flagged")).toMatchObject({ rawStatus: "PICKING", source: "wms" });
    // The warehouse confirming the cancellation is consistent: applied, nothing raised.
    expect(await report(t, { status: "CANCELLED", order_id: order.id })).toMatchObject({ state: "applied" });
  });

  it("fails unknown orders, shipments and SKUs with a clear reason and applies nothing of a refused event", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 2 }]);
    const ledgerBefore = await countRows("inventory_ledger", t.accountId);
    const outboxBefore = (await outboxTypes(t)).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ status: "PICKING", order_id: "ord_unknown" }, "unknown_order"],
      [{ source: "carrier", status: "DELIVERED", tracking_number: "NO-SUCH" }, "unknown_tracking_number"],
      [{ source: "carrier", status: "DELIVERED", shipment_id: "shp_nope" }, "unknown_shipment"],
      [{ source: "carrier", status: "DELIVERED", order_id: order.id }, "unknown_shipment"],
      [{ type: "inventory", sku: "NOPE", warehouse_id: t.warehouses.syd, quantity_delta: 3, reason: "found" }, "unknown_sku"],
      [{ type: "inventory", sku: "WIDGET", warehouse_id: "wh_nope", quantity_delta: 3, reason: "found" }, "unknown_warehouse"],
      // 5 on hand: losing 6 would take on_hand below zero (losing 4 is recorded: the count re-balances the order).
      [{ type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, quantity_delta: -6, reason: "lost" }, "stock_refused"],
      [{ status: "SHIPPED", order_id: order.id }, "missing_shipment_payload"],
      // A shipment naming a SKU that is not on the order: the whole event is refused, no shipment, no stock move.
      [{ status: "SHIPPED", order_id: order.id, shipment: { items: [{ sku: "WIDGET", quantity: 1 }, { sku: "GADGET", quantity: 1 }] } }, "unknown_item"],
      [{ type: "inbound_receipt", inbound_shipment_id: "ib_nope", items: [{ sku: "WIDGET", received_quantity: 1 }] }, "unknown_inbound_shipment"],
      [{ type: "return_receipt", return_id: "ret_nope", items: [{ sku: "WIDGET", quantity: 1 }] }, "unknown_return"],
    ];
    for (const [body, reason] of cases) expect([body, await report(t, body)]).toEqual([body, expect.objectContaining({ state: "failed", reason })]);
    expect(await getDb().select().from(shipments).where(eq(shipments.orderId, order.id))).toEqual([]);
    expect(await stockOf(t, sku.sku, t.warehouses.syd)).toMatchObject({ onHand: 5, allocated: 2 });
    expect(await countRows("inventory_ledger", t.accountId)).toBe(ledgerBefore);
    expect((await outboxTypes(t)).length).toBe(outboxBefore);
    const rows = await getDb().select().from(warehouseEvents).where(eq(warehouseEvents.accountId, t.accountId));
    expect(rows.every((r) => r.state === "failed" && r.attempts === 1 && r.message)).toBe(true);
  });

  it("applies inventory movements: deltas with reasons, cycle counts, backorders released first-come-first-served", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 1 });
    const first = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 2 }]);
    const second = await placeTestOrder(t, [{ sku: "WIDGET", quantity: 2 }]);
    expect([first.status, second.status]).toEqual(["backordered", "backordered"]);

    const found = await report(t, { type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, quantity_delta: 2, reason: "found", note: "Behind pallet 4" });
    expect(found).toMatchObject({ state: "applied" });
    expect((await loadOrder(getDb(), t.ctx, first.id)).status).toBe("received");
    expect((await loadOrder(getDb(), t.ctx, second.id)).status).toBe("backordered");
    expect(await stockOf(t, sku.sku, t.warehouses.syd)).toMatchObject({ onHand: 3, allocated: 2, backordered: 2 });

    expect(await report(t, { type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, on_hand: 10 })).toMatchObject({ state: "applied" });
    expect((await loadOrder(getDb(), t.ctx, second.id)).status).toBe("received");
    expect(await stockOf(t, sku.sku, t.warehouses.syd)).toMatchObject({ onHand: 10, allocated: 4, backordered: 0 });
    expect(await report(t, { type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, quantity_delta: -1, reason: "damaged" })).toMatchObject({ state: "applied" });

    const adjustments = await getDb().select().from(inventoryAdjustments).where(eq(inventoryAdjustments.skuId, sku.id)).orderBy(inventoryAdjustments.createdAt);
    expect(adjustments.map((a) => [a.quantityDelta, a.reason, a.source])).toEqual([
      [2, "found", "wms"],
      [7, "cycle_count", "wms"],
      [-1, "damaged", "wms"],
    ]);
    expect((await outboxTypes(t)).filter((x) => x === "inventory.adjusted")).toHaveLength(3);
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
  });

  it("takes inbound and return receipts from the warehouse through the same functions as the sandbox", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 4 });
    const { inbound } = await createInboundShipment(getDb(), t.ctx, { reference: "ASN-W", warehouse_id: t.warehouses.syd, items: [{ sku: "WIDGET", expected_quantity: 6 }] });
    const receipt = await report(t, { type: "inbound_receipt", inbound_shipment_id: inbound.id, items: [{ sku: "WIDGET", received_quantity: 6 }] });
    expect(receipt).toMatchObject({ state: "applied", message: `Inbound shipment ${inbound.id} is received.` });
    expect(await stockOf(t, sku.sku, t.warehouses.syd)).toMatchObject({ onHand: 10, incoming: 0 });

    const { order } = await shippedTestOrder(t, [{ sku: "WIDGET", quantity: 2 }]);
    const { ret } = await createReturn(getDb(), t.ctx, { order_id: order.id, rma: "RMA-W", items: [{ sku: "WIDGET", quantity: 2 }] });
    const back = await report(t, { type: "return_receipt", return_id: ret.id, items: [{ sku: "WIDGET", quantity: 2 }] });
    expect(back).toMatchObject({ state: "applied", orderId: order.id });
    expect(await stockOf(t, sku.sku, t.warehouses.syd)).toMatchObject({ onHand: 8, quarantined: 2 });
  });

  it("voids a shipment on the WMS's word and flags a carrier scan that arrives for the voided label", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const { order, shipment } = await shippedTestOrder(t, [{ sku: "WIDGET", quantity: 1 }]);
    expect(await report(t, { status: "VOIDED", shipment_id: shipment.id })).toMatchObject({ state: "applied" });
    const after = await loadOrder(getDb(), t.ctx, order.id);
    expect(after.shipments[0]).toMatchObject({ status: "voided", voided: true });
    const scan = await report(t, { source: "carrier", status: "IN_TRANSIT", tracking_number: shipment.parcels[0].tracking_number });
    expect(scan).toMatchObject({ state: "flagged", reason: "shipment_voided" });
    const exceptions = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(exceptions.map((e) => e.kind)).toContain("event_on_voided_shipment");
  });
});
