import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { inventoryLevels } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { recomputeFromLedger } from "@/e2e/support/inventory";
import { placeTestOrder } from "@/e2e/support/orders";
import { DomainError } from "@/lib/errors";
import { createInboundShipment } from "@/lib/inbound/create";
import { receiveInbound } from "@/lib/inbound/receive";
import { cancelOrder } from "@/lib/orders/cancel";
import { createReturn } from "@/lib/returns/create";
import { receiveReturn } from "@/lib/returns/receive";
import { startPicking } from "@/lib/shipments/pick";
import { createShipment } from "@/lib/shipments/ship";
import { processWarehouseEvent } from "@/lib/warehouse-events/process";

const SKUS = ["ALPHA", "BRAVO"] as const;
const sku = fc.constantFrom(0, 1);
const wh = fc.constantFrom(0, 1);
const pick = fc.nat(20);

const op = fc.oneof(
  fc.record({ kind: fc.constant("adjust" as const), sku, wh, delta: fc.integer({ min: -6, max: 8 }).filter((n) => n !== 0), reason: fc.constantFrom("found", "damaged", "lost", "expired") }),
  fc.record({ kind: fc.constant("count" as const), sku, wh, onHand: fc.nat(15) }),
  fc.record({ kind: fc.constant("order" as const), sku, wh, quantity: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant("cancel" as const), pick }),
  fc.record({ kind: fc.constant("pick" as const), pick }),
  fc.record({ kind: fc.constant("ship" as const), pick }),
  fc.record({ kind: fc.constant("asn" as const), sku, wh, quantity: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ kind: fc.constant("receive" as const), pick, quantity: fc.integer({ min: 1, max: 12 }), complete: fc.boolean() }),
  fc.record({ kind: fc.constant("return" as const), pick, condition: fc.constantFrom("resellable", "damaged", "defective", undefined) }),
  fc.record({ kind: fc.constant("inspect" as const), pick }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

type World = { t: TestTenant; skuIds: string[]; whs: string[]; orders: string[]; asns: { id: string; sku: string }[]; returns: { id: string; sku: string }[] };

const nth = <T,>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

/** Runs one random movement through the real domain functions; refusals are part of the game. */
async function run(w: World, o: Op): Promise<void> {
  const db = getDb();
  const ctx = w.t.ctx;
  let n = 0;
  const eventId = () => `prop-${Date.now()}-${Math.random().toString(36).slice(2)}-${n++}`;
  switch (o.kind) {
    case "adjust":
    case "count": {
      const body =
        o.kind === "adjust"
          ? { quantity_delta: o.delta, reason: o.reason }
          : { on_hand: o.onHand };
      await processWarehouseEvent(db, { ...w.t, actor: "prop" }, {
        event_id: eventId(),
        source: "wms",
        type: "inventory",
        sku: SKUS[o.sku],
        warehouse_id: w.whs[o.wh],
        occurred_at: new Date().toISOString(),
        ...body,
      });
      return;
    }
    case "order":
      w.orders.push((await placeTestOrder(w.t, [{ sku: SKUS[o.sku], quantity: o.quantity }], w.whs[o.wh])).id);
      return;
    case "cancel": {
      const id = nth(w.orders, o.pick);
      if (id) await cancelOrder(db, ctx, id);
      return;
    }
    case "pick": {
      const id = nth(w.orders, o.pick);
      if (id) await inTransaction(db, (tx) => startPicking(tx, ctx, { orderId: id }));
      return;
    }
    case "ship": {
      const id = nth(w.orders, o.pick);
      if (id) await inTransaction(db, (tx) => createShipment(tx, ctx, { orderId: id }));
      return;
    }
    case "asn": {
      const { inbound } = await createInboundShipment(db, ctx, { reference: eventId(), warehouse_id: w.whs[o.wh], items: [{ sku: SKUS[o.sku], expected_quantity: o.quantity }] });
      w.asns.push({ id: inbound.id, sku: SKUS[o.sku] });
      return;
    }
    case "receive": {
      const asn = nth(w.asns, o.pick);
      if (asn) await inTransaction(db, (tx) => receiveInbound(tx, ctx, { inboundId: asn.id, items: [{ sku: asn.sku, receivedQuantity: o.quantity }], complete: o.complete }));
      return;
    }
    case "return": {
      const id = nth(w.orders, o.pick);
      if (!id) return;
      const [line] = await queryRows<{ sku: string }>(db, sql`select sku from order_lines where order_id = ${id} and quantity_shipped > 0 limit 1`);
      if (!line) return;
      const { ret } = await createReturn(db, ctx, { order_id: id, rma: eventId(), items: [{ sku: line.sku, quantity: 1 }] });
      await inTransaction(db, (tx) => receiveReturn(tx, ctx, { returnId: ret.id, items: [{ sku: line.sku, quantity: 1, condition: o.condition }] }));
      w.returns.push({ id: ret.id, sku: line.sku });
      return;
    }
    case "inspect": {
      const ret = nth(w.returns, o.pick);
      if (ret) await inTransaction(db, (tx) => receiveReturn(tx, ctx, { returnId: ret.id, items: [{ sku: ret.sku, quantity: 1, condition: "resellable" }] }));
      return;
    }
  }
}

/** What the books say each number must be, computed from the documents (ASNs, returns, orders), not the ledger. */
async function documentTotals(accountId: string) {
  return queryRows<{ sku_id: string; warehouse_id: string; allocated: number; incoming: number; quarantined: number; backordered: number }>(
    getDb(),
    sql`select l.sku_id, l.warehouse_id,
               coalesce((select sum(a.quantity) from allocations a where a.status = 'active' and a.sku_id = l.sku_id and a.warehouse_id = l.warehouse_id), 0)::int as allocated,
               coalesce((select sum(greatest(i.expected_quantity - i.received_quantity, 0)) from inbound_items i join inbound_shipments s on s.id = i.inbound_shipment_id
                          where s.status <> 'received' and i.sku_id = l.sku_id and s.warehouse_id = l.warehouse_id), 0)::int as incoming,
               coalesce((select sum(ri.quantity) from return_items ri join returns r on r.id = ri.return_id
                          where ri.kind = 'received' and ri.condition is null and ri.sku_id = l.sku_id and r.warehouse_id = l.warehouse_id), 0)::int as quarantined,
               coalesce((select sum(ol.quantity) from order_lines ol join orders o on o.id = ol.order_id
                          where o.status = 'backordered' and ol.sku_id = l.sku_id and o.warehouse_id = l.warehouse_id), 0)::int as backordered
          from inventory_levels l where l.account_id = ${accountId}
         order by 1, 2`,
  );
}

describe("recomputeFromLedger", () => {
  it("replays the ledger to exactly the live stock numbers after any random sequence of movements", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        const t = await createTenant();
        const skuIds: string[] = [];
        for (const code of SKUS) skuIds.push((await createSku(t, code, { [t.warehouses.syd]: 4 })).id);
        const w: World = { t, skuIds, whs: [t.warehouses.syd, t.warehouses.mel], orders: [], asns: [], returns: [] };
        for (const o of ops) {
          try {
            await run(w, o);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
        const levels = await getDb().select().from(inventoryLevels).where(eq(inventoryLevels.accountId, t.accountId)).orderBy(inventoryLevels.skuId, inventoryLevels.warehouseId);
        for (const l of levels) expect(l.allocated).toBeLessThanOrEqual(l.onHand);
        const docs = await documentTotals(t.accountId);
        expect(levels.map((l) => ({ sku_id: l.skuId, warehouse_id: l.warehouseId, allocated: l.allocated, incoming: l.incoming, quarantined: l.quarantined, backordered: l.backordered }))).toEqual(docs);
      }),
      { numRuns: 15 },
    );
  });

  it("reports a stock row changed behind the ledger's back", async () => {
    const t = await createTenant();
    const s = await createSku(t, "DRIFT", { [t.warehouses.syd]: 5 });
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([]);
    await getDb().update(inventoryLevels).set({ onHand: 7 }).where(eq(inventoryLevels.skuId, s.id));
    expect(await recomputeFromLedger(getDb(), { accountId: t.accountId })).toEqual([
      {
        accountId: t.accountId,
        environment: t.environment,
        skuId: s.id,
        warehouseId: t.warehouses.syd,
        ledger: { onHand: 5, allocated: 0, incoming: 0, backordered: 0, quarantined: 0 },
        live: { onHand: 7, allocated: 0, incoming: 0, backordered: 0, quarantined: 0 },
      },
    ]);
  });
});
