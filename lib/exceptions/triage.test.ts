import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { operationalExceptions, orderEvents, orders, skus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { createSku, createTenant, createWarehouse, unique, type TestTenant } from "@/e2e/support/factories";
import { needsPostgres, onPostgres } from "@/e2e/support/vitest-env";
import { upsertDashboardUser, type DashboardRole } from "@/lib/auth/dashboard-users";
import { performAction } from "@/lib/dashboard/perform-action";
import { moveStock } from "@/lib/inventory/stock";
import { createOrder } from "@/lib/orders/create";
import { detectStuckOrders } from "@/lib/stuck-orders/detect";
import { processWarehouseEvent } from "@/lib/warehouse-events/process";
import { placeTestOrder } from "@/e2e/support/orders";
import { acknowledgeDefinition, assignDefinition, resolveDefinition, retryDefinition, snoozeDefinition } from "./actions";
import { WAREHOUSE_EVENT_FAILED } from "./kinds";
import { countOpenExceptions, listExceptionQueue } from "./queue";
import { resolveExceptions, snoozeExceptions } from "./triage";

const signedIn = (role: DashboardRole) => upsertDashboardUser(getDb(), { email: `${unique(role)}@hub.test`, password: "a long password", role });

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

type Definition = (typeof definitions)[keyof typeof definitions];
const definitions = { acknowledge: acknowledgeDefinition, assign: assignDefinition, snooze: snoozeDefinition, resolve: resolveDefinition, retry: retryDefinition };
const run = (d: Definition, user: Awaited<ReturnType<typeof signedIn>> | null, fields: Record<string, string | string[]>) =>
  performAction(d as typeof resolveDefinition, d.verb as typeof resolveDefinition.verb, user, form(fields));

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** An order no warehouse can fulfil (its SKU has no stock anywhere): on hold with a no_eligible_warehouse exception. */
async function heldOrder(t: TestTenant, sku = "NOSTOCK") {
  const existing = await getDb().select().from(skus).where(and(eq(skus.accountId, t.accountId), eq(skus.environment, t.environment), eq(skus.sku, sku)));
  if (!existing.length) await createSku(t, sku);
  const { order } = await createOrder(getDb(), { ...t.ctx, source: "api" }, {
    order_number: unique("SO"),
    reference: unique("R"),
    ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", country: "AU" },
    items: [{ sku, quantity: 1 }],
  });
  const [exception] = await getDb().select().from(operationalExceptions).where(and(eq(operationalExceptions.orderId, order.id), eq(operationalExceptions.status, "open")));
  return { order, exception };
}

/** A channel order held on a SKU the account does not have: an unmapped_sku exception grouped by that SKU. */
async function unmappedOrder(t: TestTenant, channelSku: string) {
  const { order } = await createOrder(
    getDb(),
    { ...t.ctx, source: "shopify" },
    {
      order_number: unique("SO"),
      reference: unique("R"),
      ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", country: "AU" },
      items: [{ sku: channelSku, quantity: 1 }],
    },
    { channel: "shopify", unknownSkus: "hold" },
  );
  return order;
}

const timeline = (orderId: string, type: string) =>
  getDb().select().from(orderEvents).where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, type)));

const exceptionRow = async (id: string) => (await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.id, id)))[0];

afterEach(() => vi.restoreAllMocks());

describe("the triage queue", () => {
  it("shows every open exception of the account with counts per kind, and 3 orders held on one SKU as one row", async () => {
    const t = await createTenant();
    const viewer = await signedIn("warehouse");
    const { order: held } = await heldOrder(t);
    const sku = unique("MISSING");
    const unmapped = [await unmappedOrder(t, sku), await unmappedOrder(t, sku), await unmappedOrder(t, sku)];

    const queue = await listExceptionQueue(getDb(), viewer, { account: t.accountId });
    expect(queue.counts).toEqual({ no_eligible_warehouse: 1, unmapped_sku: 3 });
    expect(queue.rows).toHaveLength(2);
    const group = queue.rows.find((r) => r.kind === "unmapped_sku");
    expect(group).toMatchObject({ members: 3, title: `3 orders wait for a mapping of SKU ${sku}`, orderId: unmapped[0].id, groupKey: `unmapped_sku:${sku}` });
    expect(queue.rows.find((r) => r.kind === "no_eligible_warehouse")).toMatchObject({ orderId: held.id, orderNumber: held.order_number, members: 1, fix: "release_hold", status: "open" });

    const onlyHeld = await listExceptionQueue(getDb(), viewer, { account: t.accountId, kind: "no_eligible_warehouse" });
    expect(onlyHeld.rows.map((r) => r.orderId)).toEqual([held.id]);
    // The tabs keep counting every kind whichever tab is open.
    expect(onlyHeld.counts).toEqual(queue.counts);
    const byNumber = await listExceptionQueue(getDb(), viewer, { account: t.accountId, q: unmapped[1].order_number.slice(0, -1) });
    expect(byNumber.rows).toHaveLength(1);
    expect(byNumber.rows[0]).toMatchObject({ kind: "unmapped_sku", members: 1 });
    expect((await listExceptionQueue(getDb(), viewer, { account: t.accountId, warehouse: t.warehouses.mel })).rows).toEqual([]);
    expect((await listExceptionQueue(getDb(), viewer, { account: t.accountId, older_than: 60 })).rows).toEqual([]);
    expect((await listExceptionQueue(getDb(), viewer, { account: t.accountId, env: "live" })).rows).toEqual([]);
    const newest = await listExceptionQueue(getDb(), viewer, { account: t.accountId, sort: "newest" });
    expect(newest.rows.map((r) => r.kind)).toEqual(["unmapped_sku", "no_eligible_warehouse"]);
  });

  it("assigned to me / unassigned, snoozed hidden until its time, and the navigation's count follows", async () => {
    const t = await createTenant();
    const me = await signedIn("warehouse");
    const { exception: a } = await heldOrder(t);
    const { exception: b } = await heldOrder(t);
    const before = await countOpenExceptions(getDb());

    await run(assignDefinition, me, { ids: a.id, assignee: "me" });
    expect((await listExceptionQueue(getDb(), me, { account: t.accountId, assigned: "me" })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await listExceptionQueue(getDb(), me, { account: t.accountId, assigned: "none" })).rows.map((r) => r.id)).toEqual([b.id]);

    const snoozed = await run(snoozeDefinition, me, { ids: b.id, until: inHours(2) });
    expect(snoozed).toMatchObject({ ok: true });
    expect((await listExceptionQueue(getDb(), me, { account: t.accountId })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await listExceptionQueue(getDb(), me, { account: t.accountId, snoozed: "1" })).rows.map((r) => r.id)).toEqual([b.id]);
    expect(await countOpenExceptions(getDb())).toBeLessThanOrEqual(before - 1);

    // Its time passes: it is back, without anyone touching it.
    await getDb().update(operationalExceptions).set({ snoozedUntil: sql`now() - interval '1 minute'` }).where(eq(operationalExceptions.id, b.id));
    expect((await listExceptionQueue(getDb(), me, { account: t.accountId })).rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
  });
});

describe("the triage actions", () => {
  it("lets support, warehouse, ops and admin acknowledge, assign, snooze and resolve, each with a line on the order's timeline", async () => {
    for (const role of ["support", "warehouse", "ops", "admin"] as const) {
      const t = await createTenant();
      const user = await signedIn(role);
      const { order, exception } = await heldOrder(t);
      const ids = exception.id;
      expect(await run(acknowledgeDefinition, user, { ids })).toMatchObject({ ok: true, data: { done: 1 } });
      expect(await run(assignDefinition, user, { ids, assignee: "me" })).toMatchObject({ ok: true, data: { message: "Assigned it to you." } });
      expect(await run(snoozeDefinition, user, { ids, until: inHours(3) })).toMatchObject({ ok: true });
      expect(await run(resolveDefinition, user, { ids, note: `Checked by ${role}.` })).toMatchObject({ ok: true, data: { message: "Resolved it." } });

      expect(await exceptionRow(exception.id)).toMatchObject({ status: "resolved", resolvedBy: user.email, resolutionNote: `Checked by ${role}.`, assignedTo: user.email, acknowledgedBy: user.email });
      for (const type of ["exception_acknowledged", "exception_assigned", "exception_snoozed", "exception_resolved"]) {
        const lines = await timeline(order.id, type);
        expect(lines, type).toHaveLength(1);
        expect(lines[0]).toMatchObject({ source: "dashboard", actor: user.email });
      }
      expect((await timeline(order.id, "exception_resolved"))[0].message).toContain(`Checked by ${role}.`);
    }
  });

  it("refuses a signed-out caller for every action, and a role below the fix's for the retry; nothing changes", async () => {
    const t = await createTenant();
    const { exception } = await heldOrder(t);
    const fields = { ids: exception.id, assignee: "me", until: inHours(1), note: "x" };
    for (const [name, d] of Object.entries(definitions)) {
      expect(await run(d, null, fields), name).toEqual({ ok: false, error: "You are signed out. Sign in again, then retry.", fieldErrors: {} });
    }
    for (const role of ["support", "warehouse"] as const) {
      expect(await run(retryDefinition, await signedIn(role), fields)).toMatchObject({ ok: false, error: `Only ops or admin users can do this; you are signed in as ${role}.` });
    }
    expect(await exceptionRow(exception.id)).toMatchObject({ status: "open", assignedTo: null, snoozedUntil: null, acknowledgedAt: null });
  });

  it("refuses a snooze in the past or beyond 30 days with a field error, and an assignee who is not a user", async () => {
    const t = await createTenant();
    const user = await signedIn("warehouse");
    const { exception } = await heldOrder(t);
    expect(await run(snoozeDefinition, user, { ids: exception.id, until: inHours(-1) })).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { until: "Choose a time in the future." } });
    expect(await run(snoozeDefinition, user, { ids: exception.id, until: inHours(24 * 365) })).toEqual({ ok: false, error: "Fix the highlighted fields.", fieldErrors: { until: "Snooze for at most 30 days." } });
    expect(await run(snoozeDefinition, user, { ids: exception.id, until: "tomorrow-ish" })).toMatchObject({ ok: false, fieldErrors: { until: expect.stringContaining("date and time") } });
    await expect(snoozeExceptions(getDb(), user, { ids: [exception.id], until: new Date(Date.now() - 1000) })).rejects.toMatchObject({ field: "until" });
    expect(await run(assignDefinition, user, { ids: exception.id, assignee: "nobody-here@hub.test" })).toMatchObject({ ok: false, fieldErrors: { assignee: expect.stringContaining("No active dashboard user") } });
    expect(await exceptionRow(exception.id)).toMatchObject({ snoozedUntil: null, assignedTo: null });
    expect(await timeline(exception.orderId!, "exception_snoozed")).toEqual([]);
  });

  it("answers an action on an exception resolved meanwhile (by a person or by the system) with the stale message, changing nothing", async () => {
    const t = await createTenant();
    const user = await signedIn("support");
    const { order, exception } = await heldOrder(t);
    await resolveExceptions(getDb(), { email: "colleague@hub.test" }, { ids: [exception.id], note: "done" });
    for (const [name, d] of Object.entries(definitions)) {
      if (name === "retry") continue;
      const result = await run(d, user, { ids: exception.id, assignee: "me", until: inHours(1), note: "again" });
      expect(result, name).toEqual({ ok: false, error: "Already resolved by colleague@hub.test; nothing was changed.", fieldErrors: {} });
    }
    expect(await exceptionRow(exception.id)).toMatchObject({ resolvedBy: "colleague@hub.test", resolutionNote: "done", assignedTo: null, acknowledgedAt: null });
    expect(await timeline(order.id, "exception_resolved")).toHaveLength(1);

    const { exception: auto } = await heldOrder(t);
    await getDb().update(operationalExceptions).set({ status: "resolved", resolvedBy: "system" }).where(eq(operationalExceptions.id, auto.id));
    expect(await run(resolveDefinition, user, { ids: auto.id, note: "" })).toMatchObject({ ok: false, error: "Already resolved by the system (system); nothing was changed." });
  });

  it("bulk: reports per row what it did, and a group row resolves every order of the group, each with its timeline line", async () => {
    const t = await createTenant();
    const user = await signedIn("warehouse");
    const { exception: open } = await heldOrder(t);
    const { exception: gone } = await heldOrder(t);
    await resolveExceptions(getDb(), { email: "colleague@hub.test" }, { ids: [gone.id], note: "" });
    const sku = unique("MISSING");
    const grouped = [await unmappedOrder(t, sku), await unmappedOrder(t, sku)];
    const [groupRow] = (await listExceptionQueue(getDb(), user, { account: t.accountId, kind: "unmapped_sku" })).rows;

    const result = await run(resolveDefinition, user, { ids: [open.id, gone.id, "exc_doesnotexist00", groupRow.id], note: "Bulk clean-up" });
    expect(result).toMatchObject({
      ok: true,
      data: {
        done: 2,
        message: "2 of 4 done; see each row for the rest.",
        rows: [
          { id: open.id, outcome: "done", exceptions: 1 },
          { id: gone.id, outcome: "stale", message: "Already resolved by colleague@hub.test; nothing was changed." },
          { id: "exc_doesnotexist00", outcome: "not_found" },
          { id: groupRow.id, outcome: "done", exceptions: 2, message: "Resolved 2 exceptions." },
        ],
      },
    });
    for (const o of grouped) expect((await timeline(o.id, "exception_resolved"))[0].message).toContain("Bulk clean-up");
    expect((await listExceptionQueue(getDb(), user, { account: t.accountId })).rows).toEqual([]);
  });

  it("routes a held order again from the queue once stock has arrived (the kind's own fix)", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const { order, exception } = await heldOrder(t, "LATESTOCK");
    const still = await run(retryDefinition, ops, { ids: exception.id });
    expect(still).toEqual({ ok: false, error: "Still no warehouse can fulfil it; the order stays on hold.", fieldErrors: {} });
    expect(await exceptionRow(exception.id)).toMatchObject({ status: "open" });

    const [sku] = await getDb().select().from(skus).where(and(eq(skus.accountId, t.accountId), eq(skus.sku, "LATESTOCK")));
    await inTransaction(getDb(), (tx) => moveStock(tx, t.ctx, { skuId: sku.id, warehouseId: t.warehouses.syd, kind: "receive", reason: "received", delta: { onHand: 5 } }));
    expect(await run(retryDefinition, ops, { ids: exception.id })).toMatchObject({ ok: true, data: { message: "Routed and stock reserved." } });
    expect(await exceptionRow(exception.id)).toMatchObject({ status: "resolved" });
    expect(await timeline(order.id, "allocated")).toHaveLength(1);
  });

  it("sends a held order to the warehouse a person chose, and refuses a warehouse of another environment", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const { order, exception } = await heldOrder(t, "CHOSENSTOCK");
    const elsewhere = await createWarehouse(getDb(), t.environment === "live" ? "sandbox" : "live");
    expect(await run(retryDefinition, ops, { ids: exception.id, warehouseId: elsewhere.id })).toEqual({
      ok: false,
      error: "There is no such warehouse in this order's environment.",
      fieldErrors: {},
    });
    expect(await exceptionRow(exception.id)).toMatchObject({ status: "open" });
    expect(await run(retryDefinition, ops, { ids: exception.id, warehouseId: "wh_no_such" })).toMatchObject({ ok: false });

    // No stock anywhere, so routing finds nothing; the chosen warehouse takes it as a backorder.
    expect(await run(retryDefinition, ops, { ids: exception.id, warehouseId: t.warehouses.mel })).toMatchObject({ ok: true, data: { message: "Routed, backordered at its warehouse." } });
    expect(await exceptionRow(exception.id)).toMatchObject({ status: "resolved" });
    const [placed] = await getDb().select({ status: orders.status, warehouseId: orders.warehouseId }).from(orders).where(eq(orders.id, order.id));
    expect(placed).toEqual({ status: "backordered", warehouseId: t.warehouses.mel });
    const [chosen] = await timeline(order.id, "warehouse_chosen");
    expect(chosen.message).toMatch(/^Sent to /);
    expect(chosen.message).toContain(` by ${ops.email}.`);
  });

  it("raises a failed warehouse event on the queue where it is recorded, and replays it from there", async () => {
    const t = await createTenant();
    const ops = await signedIn("ops");
    const failed = await processWarehouseEvent(getDb(), { ...t, actor: "wms" }, {
      event_id: unique("evt"),
      source: "acme-wms",
      order_id: "ord_doesnotexist0000",
      status: "PICKING",
      occurred_at: new Date().toISOString(),
    });
    expect(failed).toMatchObject({ duplicate: false, state: "failed" });
    const queue = await listExceptionQueue(getDb(), ops, { account: t.accountId, kind: WAREHOUSE_EVENT_FAILED });
    expect(queue.rows).toHaveLength(1);
    expect(queue.rows[0]).toMatchObject({ fix: "replay_event", link: { label: expect.any(String) } });
    const replay = await run(retryDefinition, ops, { ids: queue.rows[0].id });
    expect(replay).toMatchObject({ ok: false, error: expect.stringContaining("Still failing") });
    expect(await exceptionRow(queue.rows[0].id)).toMatchObject({ status: "open" });
  });

  it("a stuck order resolved by a person is not raised again by the next detector pass while it stays in that stage", async () => {
    const t = await createTenant();
    const user = await signedIn("warehouse");
    await createSku(t, "STUCKWIDGET", { [t.warehouses.syd]: 5 });
    const order = await placeTestOrder(t, [{ sku: "STUCKWIDGET", quantity: 1 }]);
    await getDb().update(orders).set({ stageEnteredAt: sql`now() - interval '6 hours'` }).where(eq(orders.id, order.id));
    expect(await detectStuckOrders(getDb(), { accountId: t.accountId })).toMatchObject({ raised: 1 });
    const [row] = (await listExceptionQueue(getDb(), user, { account: t.accountId, kind: "stuck_order", stage: "not_picked" })).rows;
    expect(row).toMatchObject({ orderId: order.id, stage: "not_picked" });
    expect(await run(resolveDefinition, user, { ids: row.id, note: "Warehouse is on it; picking after lunch." })).toMatchObject({ ok: true });
    expect(await detectStuckOrders(getDb(), { accountId: t.accountId })).toMatchObject({ raised: 0 });
    expect((await listExceptionQueue(getDb(), user, { account: t.accountId })).rows).toEqual([]);
  });

  it.skipIf(!onPostgres)(`two resolves at once: one wins, the other gets the stale message (${needsPostgres})`, async () => {
    const t = await createTenant();
    const [a, b] = [await signedIn("warehouse"), await signedIn("support")];
    const { order, exception } = await heldOrder(t);
    const results = await Promise.all([run(resolveDefinition, a, { ids: exception.id, note: "a" }), run(resolveDefinition, b, { ids: exception.id, note: "b" })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, error: expect.stringMatching(/^Already resolved by .*@hub\.test; nothing was changed\.$/) });
    expect(await timeline(order.id, "exception_resolved")).toHaveLength(1);
  });
});

describe("the queue's indexes", () => {
  it("reads open exceptions standing alone from the partial index, in order, with no sort of every row", async () => {
    // Seq scans off: on a small test table a walk is cheaper, and the question is whether the index serves the query.
    const plan = await inTransaction(getDb(), async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute(sql`explain select id from operational_exceptions x
        where x.status = 'open' and coalesce(x.snoozed_until, '-infinity'::timestamptz) <= now() and x.group_key is null and x.kind = 'stuck_order'
        order by x.created_at, x.id limit 100`);
    });
    const text = JSON.stringify(plan);
    expect(text).toContain("operational_exceptions_open_single_kind_created_at_idx");
    expect(text).not.toMatch(/Sort Key/);
  });
});
