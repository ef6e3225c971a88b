import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { allocations, orders } from "@/db/schema";
import { createSku, createTenant, type TestTenant } from "@/e2e/support/factories";
import { orderFootprint } from "@/e2e/support/footprints";
import { stockOf } from "@/e2e/support/inventory";
import { orderBody } from "@/e2e/support/orders";
import { call, expectError } from "@/e2e/support/route-calls";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { setEnvForTests } from "@/lib/env";
import { createOrder } from "@/lib/orders/create";
import { GET, POST } from "./route";

const post = (t: TestTenant, body: unknown, headers: Record<string, string> = {}) => call(POST, "/v1/orders", { key: t.key, body, headers });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.skipIf(!onPostgres)(`orders under concurrency (${needsPostgres})`, () => {
  it("40 concurrent identical creates with one key make exactly one order; every answer carries its id", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const body = orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] });
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(t, body, { "idempotency-key": "race-key" })));
    expect(answers.map((a) => a.status).sort((x, y) => x - y)).toEqual([...Array(39).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.status === 200).every((a) => a.headers.get("idempotent-replayed") === "true")).toBe(true);
    expect(await orderFootprint(t)).toMatchObject({ orders: 1, keys: 1, allocations: 1 });
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 100, allocated: 1, backordered: 0 });
  });

  it("concurrent creates of one reference without a key make one order", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const body = orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] });
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(t, body)));
    expect(answers.map((a) => a.status).sort((x, y) => x - y)).toEqual([...Array(24).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await orderFootprint(t)).toMatchObject({ orders: 1, allocations: 1 });
  });

  it("concurrent creates of one reference with different bodies: one order, the others 409 duplicate_reference", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const base = orderBody(t);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(t, { ...base, items: [{ sku: "WIDGET", quantity: i + 1 }] })));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expectError(a, 409, "duplicate_reference");
      expect(a.body.error.order_id).toBe(created[0].body.id);
    }
    expect((await orderFootprint(t)).orders).toBe(1);
  });

  it("a duplicate sent while the first request is still running waits for it and answers as a replay", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const body = orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] });
    const g = gate();
    let firstId = "";
    const first = getDb().transaction(async (tx) => {
      firstId = (await createOrder(tx, { ...t.ctx, source: "api" }, body, { idempotencyKey: "slow-key" })).order.id;
      await g.opened;
    });
    await new Promise((r) => setTimeout(r, 300));
    const duplicate = post(t, body, { "idempotency-key": "slow-key" });
    await new Promise((r) => setTimeout(r, 300));
    expect((await orderFootprint(t)).orders).toBe(0); // nothing committed yet: the duplicate is waiting, not creating
    g.open();
    await first;
    const res = await duplicate;
    expect(res.status).toBe(200);
    expect(res.headers.get("idempotent-replayed")).toBe("true");
    expect(res.body.id).toBe(firstId);
    expect((await orderFootprint(t)).orders).toBe(1);
  });

  it("a duplicate that waits longer than the bound answers 409 idempotency_in_progress, writing nothing", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const body = orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] });
    const g = gate();
    const first = getDb().transaction(async (tx) => {
      await createOrder(tx, { ...t.ctx, source: "api" }, body, { idempotencyKey: "stuck-key" });
      await g.opened;
    });
    await new Promise((r) => setTimeout(r, 300));
    setEnvForTests({ IDEMPOTENCY_WAIT_MS: "300" });
    try {
      expectError(await post(t, body, { "idempotency-key": "stuck-key" }), 409, "idempotency_in_progress");
      expectError(await post(t, body), 409, "idempotency_in_progress");
    } finally {
      setEnvForTests({ IDEMPOTENCY_WAIT_MS: undefined });
      g.open();
      await first;
    }
    expect(await orderFootprint(t)).toMatchObject({ orders: 1, keys: 1 });
  });

  it("promo: 400 concurrent one-unit orders against 320 units → 320 received, 80 backordered, available never below zero", async () => {
    const t = await createTenant();
    const sku = await createSku(t, "PROMO", { [t.warehouses.syd]: 320 });
    const answers = await Promise.all(
      Array.from({ length: 400 }, () => post(t, orderBody(t, { items: [{ sku: "PROMO", quantity: 1 }] }))),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const byStatus = Object.fromEntries(
      (
        await queryRows<{ status: string; n: number }>(
          getDb(),
          sql`select status, count(*)::int as n from ${orders} where ${orders.accountId} = ${t.accountId} group by status`,
        )
      ).map((r) => [r.status, r.n]),
    );
    expect(byStatus).toEqual({ received: 320, backordered: 80 });
    const [alloc] = await queryRows<{ n: number; units: number }>(
      getDb(),
      sql`select count(*)::int as n, coalesce(sum(a.quantity), 0)::int as units
            from ${allocations} a join ${orders} o on o.id = a.order_id
           where o.account_id = ${t.accountId} and a.status = 'active' and o.status = 'received'`,
    );
    expect(alloc).toEqual({ n: 320, units: 320 });
    const [backorderedWithAllocations] = await queryRows<{ n: number }>(
      getDb(),
      sql`select count(*)::int as n from ${allocations} a join ${orders} o on o.id = a.order_id where o.account_id = ${t.accountId} and o.status = 'backordered'`,
    );
    expect(backorderedWithAllocations.n).toBe(0);
    expect(await stockOf(t, "PROMO", t.warehouses.syd)).toMatchObject({ onHand: 320, allocated: 320, backordered: 80 });
    const [ledger] = await queryRows<{ on_hand: number; allocated: number; backordered: number; entries: number }>(
      getDb(),
      sql`select sum(delta_on_hand)::int as on_hand, sum(delta_allocated)::int as allocated, sum(delta_backordered)::int as backordered, count(*)::int as entries
            from inventory_ledger where sku_id = ${sku.id} and warehouse_id = ${t.warehouses.syd}`,
    );
    expect(ledger).toEqual({ on_hand: 320, allocated: 320, backordered: 80, entries: 401 });
    // Balances recorded in the ledger never show allocated above on_hand.
    const [oversold] = await queryRows<{ n: number }>(
      getDb(),
      sql`select count(*)::int as n from inventory_ledger where sku_id = ${sku.id} and (balance->>'allocated')::int > (balance->>'onHand')::int`,
    );
    expect(oversold.n).toBe(0);
  }, 180_000);

  it("cursor completeness: a change committed later than a newer one is still delivered to an updated_since poller", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const testStart = new Date().toISOString();
    const a = (await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }))).order;
    const b = (await createOrder(getDb(), t.ctx, orderBody(t, { items: [{ sku: "WIDGET", quantity: 1 }] }))).order;

    // T1 changes A and stays open: its rows carry its start time.
    const g = gate();
    const t1Started = gate();
    const t1 = getDb().transaction(async (tx) => {
      await tx.update(orders).set({ packingNote: "changed by T1", updatedAt: sql`now()` }).where(eq(orders.id, a.id));
      t1Started.open();
      await g.opened;
    });
    await t1Started.opened;
    await new Promise((r) => setTimeout(r, 20));
    // T2 starts later, changes B and commits first.
    await getDb().update(orders).set({ packingNote: "changed by T2", updatedAt: sql`now()` }).where(eq(orders.id, b.id));

    const poll = async (since: string) => {
      const res = await call(GET, `/v1/orders?updated_since=${encodeURIComponent(since)}&limit=200`, { key: t.key, settle: false });
      expect(res.status).toBe(200);
      return res.body.data as { id: string; updated_at: string; packing_note: string | null }[];
    };
    const first = await poll(testStart);
    // B's change is committed and newer than T1's start, but delivering it now would move the poller past T1's change.
    expect(first.find((o) => o.id === b.id)).toBeUndefined();
    expect(first.every((o) => o.packing_note === null)).toBe(true);
    const newest = first.map((o) => o.updated_at).sort().at(-1) ?? testStart;

    g.open();
    await t1;
    let second: Awaited<ReturnType<typeof poll>> = [];
    // Other test files on the same database may hold the horizon back too: give them up to 30 s.
    for (let i = 0; i < 300; i++) {
      second = await poll(newest);
      if (second.some((o) => o.id === a.id && o.packing_note) && second.some((o) => o.id === b.id)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(second.find((o) => o.id === a.id)?.packing_note).toBe("changed by T1");
    expect(second.find((o) => o.id === b.id)?.packing_note).toBe("changed by T2");
  });

  it("amend and cancel of one order serialize: never both applied to a cancelled order", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 100 });
    const created = await post(t, orderBody(t, { items: [{ sku: "WIDGET", quantity: 5 }] }));
    const { PATCH } = await import("./[id]/route");
    const { POST: CANCEL } = await import("./[id]/cancel/route");
    const params = { id: created.body.id };
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => call(PATCH, `/v1/orders/${params.id}`, { method: "PATCH", key: t.key, params, body: { items: [{ sku: "WIDGET", quantity: i + 1 }] } })),
      call(CANCEL, `/v1/orders/${params.id}/cancel`, { key: t.key, params }),
    ]);
    for (const r of results) expect([200, 409]).toContain(r.status);
    expect(await stockOf(t, "WIDGET", t.warehouses.syd)).toMatchObject({ onHand: 100, allocated: 0, backordered: 0 });
    const [row] = await getDb().select().from(orders).where(and(eq(orders.id, params.id)));
    expect(row.status).toBe("cancelled");
  });
});
