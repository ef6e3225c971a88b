import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { shipments } from "@/db/schema";
import { cancelOrder } from "@/lib/orders/cancel";
import { loadOrder } from "@/lib/orders/present";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { settleHorizon } from "@/e2e/support/horizon";
import { call } from "@/e2e/support/route-calls";
import * as list from "@/app/v1/shipments/route";
import { FulfillmentError } from "./errors";
import { startPicking } from "./pick";
import { createShipment } from "./ship";
import { placeTestOrder } from "@/e2e/support/orders";
import { createSku, createTenant, sandboxCtx, type TestTenant } from "@/e2e/support/factories";
import { stockOf } from "@/e2e/support/inventory";

const run = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(getDb(), fn);

/** The partner's poller from the spec: updated_since = newest updated_at seen, cursors walked to the end. */
async function pollOnce(t: TestTenant, since: string | undefined) {
  const ids: string[] = [];
  let newest = since;
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ limit: "1" });
    if (since) params.set("updated_since", since);
    if (cursor) params.set("cursor", cursor);
    const res: Awaited<ReturnType<typeof call>> = await call(list.GET, `/v1/shipments?${params}`, { key: t.key, settle: false });
    expect(res.status).toBe(200);
    for (const s of res.body.data as { id: string; updated_at: string }[]) {
      ids.push(s.id);
      if (!newest || s.updated_at > newest) newest = s.updated_at;
    }
    cursor = res.body.pagination.next_cursor;
  } while (cursor);
  return { ids, newest };
}

describe.skipIf(!onPostgres)(`fulfillment under concurrency (${needsPostgres})`, () => {
  it("a poller never misses a shipment whose transaction began earlier and committed later", async () => {
    const t = await createTenant();
    // Different SKUs: the two shipments must not wait on each other's stock rows.
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    await createSku(t, "RED", { [t.warehouses.syd]: 10 });
    const early = await placeTestOrder(t, [{ sku: "BLUE", quantity: 1 }]);
    const late = await placeTestOrder(t, [{ sku: "RED", quantity: 1 }]);
    const ctx = sandboxCtx(t);

    let started!: () => void;
    let release!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const releaseP = new Promise<void>((r) => (release = r));
    // The early transaction stamps its shipment with its start time, then stays open.
    const slow = run(async (tx) => {
      const r = await createShipment(tx, ctx, { orderId: early.id });
      started();
      await releaseP;
      return r.shipment.id;
    });
    await startedP;
    // A later transaction commits first, with a newer updated_at.
    const fast = await run((tx) => createShipment(tx, ctx, { orderId: late.id }));

    const seen = new Set<string>();
    const first = await pollOnce(t, undefined);
    first.ids.forEach((id) => seen.add(id));
    release();
    const earlyId = await slow;
    const [earlyRow] = await getDb().select().from(shipments).where(eq(shipments.id, earlyId));
    const [lateRow] = await getDb().select().from(shipments).where(eq(shipments.id, fast.shipment.id));
    expect(earlyRow.updatedAt < lateRow.updatedAt).toBe(true);

    // Other test files on the same database may hold the horizon back too; the poller here must not depend on them.
    await settleHorizon();
    const second = await pollOnce(t, first.newest);
    second.ids.forEach((id) => seen.add(id));
    expect([...seen].sort()).toEqual([earlyId, fast.shipment.id].sort());
  });

  it("two warehouses reporting the same order shipped at once: one shipment, stock consumed once", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 3 }]);
    const ctx = sandboxCtx(t);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => run((tx) => createShipment(tx, ctx, { orderId: order.id }))));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(FulfillmentError);
    expect(refused.map((r) => (r.reason as FulfillmentError).code)).toEqual(["already_shipped", "already_shipped", "already_shipped"]);
    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 7, allocated: 0 });
    expect(await getDb().select().from(shipments).where(eq(shipments.orderId, order.id))).toHaveLength(1);
  });

  it("the same external shipment id reported concurrently is recorded once", async () => {
    const t = await createTenant();
    await createSku(t, "BLUE", { [t.warehouses.syd]: 10 });
    const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 6 }]);
    const ctx = { ...sandboxCtx(t), source: "wms" as const };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => run((tx) => createShipment(tx, ctx, { orderId: order.id, externalId: "wms-77", items: [{ sku: "BLUE", quantity: 2 }] }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.shipment.id)).size).toBe(1);
    expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 8, allocated: 4 });
    expect((await loadOrder(getDb(), t.ctx, order.id)).items[0].quantity_shipped).toBe(2);
  });

  it("pick and cancel racing on one order: exactly one wins, and the other is refused", async () => {
    for (let round = 0; round < 3; round++) {
      const t = await createTenant();
      await createSku(t, "BLUE", { [t.warehouses.syd]: 5 });
      const order = await placeTestOrder(t, [{ sku: "BLUE", quantity: 2 }]);
      const [picked, cancelled] = await Promise.allSettled([
        run((tx) => startPicking(tx, sandboxCtx(t), { orderId: order.id })),
        cancelOrder(getDb(), { ...t.ctx, source: "api" }, order.id),
      ]);
      const final = await loadOrder(getDb(), t.ctx, order.id);
      if (final.status === "processing") {
        expect(picked.status).toBe("fulfilled");
        expect(cancelled).toMatchObject({ status: "rejected", reason: { code: "picking_started" } });
        expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 5, allocated: 2 });
      } else {
        expect(final.status).toBe("cancelled");
        expect(cancelled.status).toBe("fulfilled");
        expect(picked).toMatchObject({ status: "rejected", reason: { reason: "order_not_pickable" } });
        expect(await stockOf(t, "BLUE")).toMatchObject({ onHand: 5, allocated: 0 });
      }
    }
  });
});
