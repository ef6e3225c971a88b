import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationalExceptions, orderEvents, warehouses } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { orderBody } from "@/e2e/support/orders";
import { DomainError } from "@/lib/errors";
import { createOrder } from "@/lib/orders/create";
import { releaseHold } from "@/lib/orders/hold";
import { loadRoutingFacts } from "./facts";
import { createRoutingRule, deleteRoutingRule, listRoutingRules, updateRoutingRule } from "./rules";

const nz = { address1: "1 Queen St", city: "Auckland", country: "NZ" };

describe("routing through the database", () => {
  it("applies the account's rules in priority order, skipping a paused warehouse, and records the decision", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 10, [t.warehouses.mel]: 10 });
    await createRoutingRule(getDb(), t.ctx, { name: "NZ from Melbourne", priority: 10, conditions: { countries: ["NZ"] }, warehouse_ids: [t.warehouses.mel] });
    await createRoutingRule(getDb(), t.ctx, { name: "AU", priority: 20, conditions: { countries: ["AU"] }, warehouse_ids: [t.warehouses.syd, t.warehouses.mel] });

    const toNz = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, ship_to: nz, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect(toNz.order.warehouse_id).toBe(t.warehouses.mel);
    const toAu = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect(toAu.order.warehouse_id).toBe(t.warehouses.syd);

    await getDb().update(warehouses).set({ paused: true }).where(eq(warehouses.id, t.warehouses.syd));
    const paused = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect(paused.order).toMatchObject({ status: "received", warehouse_id: t.warehouses.mel });
    const [routed] = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, paused.order.id), eq(orderEvents.type, "routed")));
    expect(routed.message).toContain('by rule "AU"');
    expect(routed.message).toContain("warehouse is paused");
    expect(routed.data).toMatchObject({
      warehouse_id: t.warehouses.mel,
      reasons: [
        { rule: "NZ from Melbourne", result: "skipped", why: "destination country AU is not one of NZ" },
        { rule: "AU", warehouse_id: t.warehouses.syd, result: "skipped", why: "warehouse is paused" },
        { rule: "AU", warehouse_id: t.warehouses.mel, result: "matched" },
      ],
    });
  });

  it("counts today's orders against a warehouse's daily capacity", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 10, [t.warehouses.mel]: 10 });
    await getDb().update(warehouses).set({ dailyCapacity: 1 }).where(eq(warehouses.id, t.warehouses.syd));
    const facts0 = await loadRoutingFacts(getDb(), t.ctx, []);
    expect(facts0.warehouses.find((w) => w.id === t.warehouses.syd)).toMatchObject({ dailyCapacity: 1, routedToday: 0 });
    const first = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    const second = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect([first.order.warehouse_id, second.order.warehouse_id]).toEqual([t.warehouses.syd, t.warehouses.mel]);
  });

  it("rules that match nothing put the order on hold with an exception; releasing the hold after a rule change routes it", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
    const rule = await createRoutingRule(getDb(), t.ctx, { name: "NZ only", priority: 1, conditions: { countries: ["NZ"] }, warehouse_ids: [t.warehouses.syd] });
    const { order } = await createOrder(getDb(), t.ctx, orderBody(t, { warehouse_id: undefined, items: [{ sku: "WIDGET", quantity: 1 }] }));
    expect(order).toMatchObject({ status: "on_hold", hold_reason: "no_eligible_warehouse", warehouse_id: null });
    const [exc] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(exc).toMatchObject({ kind: "no_eligible_warehouse", status: "open" });

    // Retrying without a change keeps it on hold, refreshing the one exception.
    expect((await releaseHold(getDb(), t.ctx, order.id)).order.status).toBe("on_hold");
    expect(await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id))).toHaveLength(1);

    await updateRoutingRule(getDb(), t.ctx, rule.id, { conditions: { countries: ["NZ", "AU"] } });
    const released = await releaseHold(getDb(), t.ctx, order.id);
    expect(released.order).toMatchObject({ status: "received", hold_reason: null, warehouse_id: t.warehouses.syd });
    const [after] = await getDb().select().from(operationalExceptions).where(eq(operationalExceptions.orderId, order.id));
    expect(after.status).toBe("resolved");
    await expect(releaseHold(getDb(), t.ctx, order.id)).rejects.toMatchObject({ code: "validation_error" });
  });

  it("manages rules per tenant: list in run order, update, delete, refusals", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const b = await createRoutingRule(getDb(), t.ctx, { name: "B", priority: 20, warehouse_ids: [t.warehouses.mel] });
    const a = await createRoutingRule(getDb(), t.ctx, { name: "A", priority: 10, conditions: { states: ["NSW"] }, warehouse_ids: [t.warehouses.syd, t.warehouses.mel] });
    expect(a).toMatchObject({ id: expect.stringMatching(/^rr_/), active: true, conditions: { states: ["NSW"] }, warehouse_ids: [t.warehouses.syd, t.warehouses.mel] });
    expect((await listRoutingRules(getDb(), t.ctx)).map((r) => r.name)).toEqual(["A", "B"]);
    expect(await listRoutingRules(getDb(), other.ctx)).toEqual([]);
    expect(await updateRoutingRule(getDb(), t.ctx, b.id, { priority: 5, active: false })).toMatchObject({ priority: 5, active: false, name: "B" });
    expect((await listRoutingRules(getDb(), t.ctx)).map((r) => r.name)).toEqual(["B", "A"]);

    await expect(updateRoutingRule(getDb(), other.ctx, b.id, { name: "stolen" })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteRoutingRule(getDb(), other.ctx, b.id)).rejects.toMatchObject({ code: "not_found" });
    const refusals: [unknown, string, string][] = [
      [{ name: "X", priority: 1, warehouse_ids: [t.warehouses.syd, "wh_nope"] }, "invalid_warehouse", "warehouse_ids[1]"],
      [{ name: "X", priority: 1, warehouse_ids: [t.warehouses.syd, t.warehouses.syd] }, "validation_error", "warehouse_ids[1]"],
      [{ name: "X", priority: 1, warehouse_ids: [] }, "validation_error", "warehouse_ids"],
      [{ name: "X", priority: 1.5, warehouse_ids: [t.warehouses.syd] }, "validation_error", "priority"],
      [{ name: "X", priority: 1, warehouse_ids: [t.warehouses.syd], conditions: { countries: ["Australia"] } }, "validation_error", "conditions.countries[0]"],
      [{ name: "X", priority: 1, warehouse_ids: [t.warehouses.syd], conditions: { planets: ["Mars"] } }, "validation_error", "conditions.planets"],
      [{ name: "X", priority: 1, warehouse_ids: [t.warehouses.syd], conditions: { min_order_value: 10, max_order_value: 5 } }, "validation_error", "conditions.max_order_value"],
      [{ name: "\u0000", priority: 1, warehouse_ids: [t.warehouses.syd] }, "validation_error", "name"],
    ];
    for (const [input, code, field] of refusals) {
      const error = await createRoutingRule(getDb(), t.ctx, input as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code, field });
    }
    expect(await listRoutingRules(getDb(), t.ctx)).toHaveLength(2);
    await deleteRoutingRule(getDb(), t.ctx, b.id);
    expect((await listRoutingRules(getDb(), t.ctx)).map((r) => r.name)).toEqual(["A"]);
  });
});
