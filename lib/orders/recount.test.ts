import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { allocations, inventoryAdjustments, operationalExceptions, orderEvents, orders, outboxEvents } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { recomputeFromLedger, stockOf } from "@/e2e/support/inventory";
import { orderBody } from "@/e2e/support/orders";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { adjustStock, type AdjustStockInput } from "@/lib/inventory/adjust";
import { createRoutingRule } from "@/lib/routing/rules";
import { startPicking } from "@/lib/shipments/pick";
import { processWarehouseEvent } from "@/lib/warehouse-events/process";
import { cancelOrder } from "./cancel";
import { createOrder } from "./create";
import { COUNT_BELOW_PICKED, STOCK_COUNT_SHORTFALL } from "./recount";

const count = (t: TestTenant, sku: string, onHand: number, warehouseId = t.warehouses.syd, extra: Partial<AdjustStockInput> = {}) =>
  inTransaction(getDb(), (tx) => adjustStock(tx, { ...t.ctx, source: "wms" }, { sku, warehouseId, change: { onHand }, reason: "cycle_count", ...extra }));

/** An order of one SKU: at the named warehouse (Sydney by default), or routed by the account's rules when `routed`. */
async function order(t: TestTenant, sku: string, quantity: number, options: { routed?: boolean } = {}) {
  const body = orderBody(t, { items: [{ sku, quantity }], ...(options.routed ? { warehouse_id: undefined } : {}) });
  return (await createOrder(getDb(), t.ctx, body)).order;
}

async function orderRow(id: string) {
  const [row] = await getDb().select({ status: orders.status, warehouseId: orders.warehouseId, version: orders.version }).from(orders).where(eq(orders.id, id));
  return row;
}

async function timelineTypes(orderId: string) {
  const rows = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.recordedAt), asc(orderEvents.id));
  return rows;
}

async function exceptionsOf(t: TestTenant) {
  return getDb().select().from(operationalExceptions).where(eq(operationalExceptions.accountId, t.accountId)).orderBy(asc(operationalExceptions.createdAt), asc(operationalExceptions.id));
}

async function orderUpdates(t: TestTenant) {
  const rows = await getDb()
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.accountId, t.accountId), eq(outboxEvents.type, "order.updated")))
    .orderBy(asc(outboxEvents.id));
  return rows.map((r) => r.payload as { id: string; status: string; warehouse_id: string });
}

/** Every allocation accounted for: the stock rows' allocated equal the active allocations, and each received order holds all its units. */
async function expectAllocationsAccountedFor(t: TestTenant) {
  const drift = await queryRows<{ sku_id: string }>(
    getDb(),
    sql`select l.sku_id from inventory_levels l
         where l.account_id = ${t.accountId}
           and l.allocated <> coalesce((select sum(a.quantity) from allocations a where a.sku_id = l.sku_id and a.warehouse_id = l.warehouse_id and a.status = 'active'), 0)`,
  );
  expect(drift).toEqual([]);
  const misallocated = await queryRows<{ id: string; status: string; held: number; quantity: number }>(
    getDb(),
    sql`select o.id, o.status::text as status,
               coalesce((select sum(a.quantity) from allocations a where a.order_id = o.id and a.status = 'active'), 0)::int as held,
               (select sum(l.quantity) from order_lines l where l.order_id = o.id)::int as quantity
          from orders o where o.account_id = ${t.accountId}`,
  );
  for (const o of misallocated) expect([o.id, o.status, o.held]).toEqual([o.id, o.status, o.status === "backordered" ? 0 : o.quantity]);
  expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
}

describe("a stock count below what is allocated", () => {
  it("is recorded; the newest unpicked orders are released until the rest fits, each backordered with timeline, exception and order.updated", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    const oldest = await order(t, "BLUE", 3);
    const middle = await order(t, "BLUE", 3);
    const newest = await order(t, "BLUE", 2);
    expect(await stockOf(t, "BLUE", t.warehouses.syd)).toMatchObject({ onHand: 10, allocated: 8, backordered: 0 });

    const result = await count(t, "BLUE", 5);
    // 8 allocated, 5 counted: the newest (2) is not enough, the middle one (3) goes too; the oldest keeps its 3.
    expect(result.rebalanced).toEqual({ backordered: [middle.id, newest.id], rerouted: [] });
    expect(result.inventory.warehouses[0]).toMatchObject({ on_hand: 5, allocated: 3, available: 2, backordered: 5 });
    expect(result.adjustment).toMatchObject({ quantity_delta: -5, reason: "cycle_count" });
    expect(await orderRow(oldest.id)).toMatchObject({ status: "received", version: 1 });
    expect(await orderRow(middle.id)).toMatchObject({ status: "backordered", warehouseId: t.warehouses.syd, version: 2 });
    expect(await orderRow(newest.id)).toMatchObject({ status: "backordered", warehouseId: t.warehouses.syd, version: 2 });
    // Two units are free now, but the older backorder (3) is first in the queue: the newest does not jump it.
    expect(result.releasedOrderIds).toEqual([]);

    const timeline = (await timelineTypes(newest.id)).slice(-2);
    expect(timeline.map((e) => [e.type, e.status, e.source])).toEqual([
      ["allocation_released", null, "wms"],
      ["backordered", "backordered", "wms"],
    ]);
    expect(timeline[0].message).toContain("found 5 × BLUE where 8 were allocated");
    expect(timeline[1].message).toContain("partner named this warehouse");
    expect(timeline[1].data).toMatchObject({ reason: "stock_count", counted: 5, allocated: 8, adjustment_id: result.adjustment!.id });

    const raised = await exceptionsOf(t);
    expect(raised.map((x) => [x.kind, x.orderId, x.status])).toEqual([
      [STOCK_COUNT_SHORTFALL, middle.id, "open"],
      [STOCK_COUNT_SHORTFALL, newest.id, "open"],
    ]);
    expect(raised[0].message).toContain(`Order ${middle.order_number}`);
    expect(await orderUpdates(t)).toMatchObject([
      { id: middle.id, status: "backordered" },
      { id: newest.id, status: "backordered" },
    ]);
    await expectAllocationsAccountedFor(t);

    // Stock found again: the backorders are allocated first come first served, and their exceptions close.
    const found = await count(t, "BLUE", 10);
    expect(found.releasedOrderIds).toEqual([middle.id, newest.id]);
    expect((await exceptionsOf(t)).map((x) => x.status)).toEqual(["resolved", "resolved"]);
    await expectAllocationsAccountedFor(t);
  });

  it("re-routes orders the account's rules placed when another warehouse can take them; named-warehouse orders stay backordered", async () => {
    const t = await createTenant();
    await createSku(t, "GREEN", { [t.warehouses.syd]: 5, [t.warehouses.mel]: 3 });
    await createRoutingRule(getDb(), t.ctx, { name: "AU", priority: 10, conditions: { countries: ["AU"] }, warehouse_ids: [t.warehouses.syd, t.warehouses.mel] });
    const routedOld = await order(t, "GREEN", 2, { routed: true });
    const named = await order(t, "GREEN", 1);
    const routedNew = await order(t, "GREEN", 2, { routed: true });
    expect([routedOld.warehouse_id, named.warehouse_id, routedNew.warehouse_id]).toEqual([t.warehouses.syd, t.warehouses.syd, t.warehouses.syd]);

    const result = await count(t, "GREEN", 0);
    // All three are released; the oldest routed one takes two of Melbourne's three units, the newest no longer fits
    // there, and the one whose partner named Sydney is not moved although Melbourne has a unit left.
    expect(result.rebalanced).toEqual({ backordered: [named.id, routedNew.id], rerouted: [routedOld.id] });
    expect(await orderRow(routedOld.id)).toMatchObject({ status: "received", warehouseId: t.warehouses.mel, version: 2 });
    expect(await orderRow(named.id)).toMatchObject({ status: "backordered", warehouseId: t.warehouses.syd });
    expect(await orderRow(routedNew.id)).toMatchObject({ status: "backordered", warehouseId: t.warehouses.syd });
    expect(await stockOf(t, "GREEN", t.warehouses.syd)).toMatchObject({ onHand: 0, allocated: 0, backordered: 3 });
    expect(await stockOf(t, "GREEN", t.warehouses.mel)).toMatchObject({ onHand: 3, allocated: 2, backordered: 0 });

    const moved = (await timelineTypes(routedOld.id)).slice(-3);
    expect(moved.map((e) => e.type)).toEqual(["allocation_released", "routed", "allocated"]);
    expect(moved[1].message).toContain('by rule "AU"');
    expect(moved[1].message).toContain("its stock of GREEN was just counted short");
    const waiting = (await timelineTypes(routedNew.id)).slice(-1)[0];
    expect(waiting.message).toContain("No other warehouse can take it");
    expect(waiting.message).toContain("lacks stock for GREEN (needs 2, 1 available)");

    const raised = await exceptionsOf(t);
    expect(raised.map((x) => [x.kind, x.orderId, (x.data as { outcome: string }).outcome])).toEqual([
      [STOCK_COUNT_SHORTFALL, routedOld.id, "rerouted"],
      [STOCK_COUNT_SHORTFALL, named.id, "backordered"],
      [STOCK_COUNT_SHORTFALL, routedNew.id, "backordered"],
    ]);
    expect(raised[0].message).toContain("re-routed to Melbourne DC");
    expect(await orderUpdates(t)).toMatchObject([
      { id: routedOld.id, status: "received", warehouse_id: t.warehouses.mel },
      { id: named.id, status: "backordered" },
      { id: routedNew.id, status: "backordered" },
    ]);
    await expectAllocationsAccountedFor(t);

    // Cancelling a backorder the count caused closes its exception.
    await cancelOrder(getDb(), t.ctx, named.id);
    expect((await exceptionsOf(t)).find((x) => x.orderId === named.id)?.status).toBe("resolved");
  });

  it("never takes picked units back: all unpicked allocations are released, on_hand stays at what is picked, and the discrepancy is raised", async () => {
    const t = await createTenant();
    await createSku(t, "RED", { [t.warehouses.syd]: 10 });
    const picked = await order(t, "RED", 4);
    const unpicked = await order(t, "RED", 3);
    await inTransaction(getDb(), (tx) => startPicking(tx, t.ctx, { orderId: picked.id }));

    const result = await count(t, "RED", 2);
    expect(result.belowPicked).toBe(true);
    expect(result.rebalanced).toEqual({ backordered: [unpicked.id], rerouted: [] });
    expect(result.inventory.warehouses[0]).toMatchObject({ on_hand: 4, allocated: 4, available: 0, backordered: 3 });
    expect(await orderRow(picked.id)).toMatchObject({ status: "processing" });
    const held = await getDb().select().from(allocations).where(eq(allocations.orderId, picked.id));
    expect(held.map((a) => [a.status, a.quantity])).toEqual([["active", 4]]);
    expect(result.adjustment).toMatchObject({ quantity_delta: -6, note: "Counted 2; 4 unit(s) are picked for orders in progress and stay on hand until they ship." });

    const raised = await exceptionsOf(t);
    expect(raised.map((x) => [x.kind, x.orderId])).toEqual([
      [STOCK_COUNT_SHORTFALL, unpicked.id],
      [COUNT_BELOW_PICKED, null],
    ]);
    expect(raised[1].data).toMatchObject({ sku: "RED", warehouse_id: t.warehouses.syd, counted: 2, picked: 4 });
    await expectAllocationsAccountedFor(t);

    // Counted below the picks again with nothing left to release: nothing moves, but it is raised again.
    const again = await count(t, "RED", 1);
    expect(again).toMatchObject({ adjustment: null, belowPicked: true, rebalanced: { backordered: [], rerouted: [] } });
    expect((await exceptionsOf(t)).filter((x) => x.kind === COUNT_BELOW_PICKED)).toHaveLength(2);
  });

  it("applies the warehouse's negative delta the same way, and still refuses a count below zero", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "WIDGET", { [t.warehouses.syd]: 5 });
    const first = await order(t, "WIDGET", 2);
    const second = await order(t, "WIDGET", 2);
    const report = (body: Record<string, unknown>) =>
      processWarehouseEvent(getDb(), { ...t, actor: "wms" }, { event_id: `cnt-${Date.now()}-${Math.random()}`, source: "wms", type: "inventory", sku: "WIDGET", warehouse_id: t.warehouses.syd, occurred_at: new Date().toISOString(), ...body });

    expect(await report({ quantity_delta: -3, reason: "lost" })).toMatchObject({ state: "applied", message: "WIDGET -3 (lost). Backordered 1 order(s) whose allocation no longer fit." });
    expect(await orderRow(first.id)).toMatchObject({ status: "received" });
    expect(await orderRow(second.id)).toMatchObject({ status: "backordered" });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 2, allocated: 2, backordered: 2 });
    const [adjustment] = await getDb().select().from(inventoryAdjustments).where(eq(inventoryAdjustments.skuId, sku.id)).orderBy(asc(inventoryAdjustments.createdAt));
    expect(adjustment).toMatchObject({ quantityDelta: -3, reason: "lost", source: "wms" });

    expect(await report({ quantity_delta: -3, reason: "lost" })).toMatchObject({ state: "failed", reason: "stock_refused" });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 2, allocated: 2, backordered: 2 });
    await expectAllocationsAccountedFor(t);
  });

  it("releases a multi-SKU order whole, and its freed units wait for the backorder queue in order", async () => {
    const t = await createTenant();
    await createSku(t, "A", { [t.warehouses.syd]: 2 });
    await createSku(t, "B", { [t.warehouses.syd]: 1 });
    const both = (await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "A", quantity: 2 }, { sku: "B", quantity: 1 }] }))).order;
    const waitingForB = await order(t, "B", 1);
    expect(waitingForB.status).toBe("backordered");

    const result = await count(t, "A", 1);
    expect(result.rebalanced.backordered).toEqual([both.id]);
    // B's unit is free again, but the released order is older and heads B's queue: the younger one does not jump it.
    expect(result.releasedOrderIds).toEqual([]);
    expect(await stockOf(t, "A", t.warehouses.syd)).toMatchObject({ onHand: 1, allocated: 0, backordered: 2 });
    expect(await stockOf(t, "B", t.warehouses.syd)).toMatchObject({ onHand: 1, allocated: 0, backordered: 2 });
    await expectAllocationsAccountedFor(t);

    // Once A is back, the released order is allocated whole again.
    expect((await count(t, "A", 2)).releasedOrderIds).toEqual([both.id]);
    expect(await stockOf(t, "B", t.warehouses.syd)).toMatchObject({ onHand: 1, allocated: 1, backordered: 1 });
    await expectAllocationsAccountedFor(t);
  });
});

describe.skipIf(!onPostgres)(`stock counts racing order creation (${needsPostgres})`, () => {
  it("never leaves available negative nor loses an allocation while counts and creations interleave", { timeout: 60_000 }, async () => {
    const t = await createTenant();
    await createSku(t, "RACE", { [t.warehouses.syd]: 20 });
    await createSku(t, "SIDE", { [t.warehouses.syd]: 100 });
    const place = (i: number) =>
      createOrder(getDb(), t.ctx, orderBody(t, { items: i % 3 ? [{ sku: "RACE", quantity: 1 + (i % 2) }] : [{ sku: "SIDE", quantity: 1 }, { sku: "RACE", quantity: 1 }] }));
    for (let i = 0; i < 8; i++) await place(i);

    const counts = [12, 4, 15, 7, 9, 3];
    const results = await Promise.allSettled([
      ...Array.from({ length: 30 }, (_, i) => place(i)),
      ...counts.map((onHand) => count(t, "RACE", onHand)),
      ...counts.map((onHand) => count(t, "SIDE", onHand * 10)),
    ]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const race = await stockOf(t, "RACE", t.warehouses.syd);
    expect(counts).toContain(race.onHand);
    expect(race.allocated).toBeLessThanOrEqual(race.onHand);
    await expectAllocationsAccountedFor(t);
    const backordered = await queryRows<{ units: number }>(
      getDb(),
      sql`select coalesce(sum(l.quantity), 0)::int as units from order_lines l join orders o on o.id = l.order_id
           where o.account_id = ${t.accountId} and o.status = 'backordered' and l.sku = 'RACE'`,
    );
    expect(race.backordered).toBe(backordered[0].units);
  });
});
