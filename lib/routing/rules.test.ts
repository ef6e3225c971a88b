import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createTenant, type TestTenant } from "@/e2e/support/factories";
import { NotFoundError } from "@/lib/errors";
import { createRoutingRule, listRoutingRules, moveRoutingRule } from "./rules";

async function threeRules(t: TestTenant) {
  for (const [name, priority] of [["First", 10], ["Second", 20], ["Third", 35]] as const) {
    await createRoutingRule(getDb(), t.ctx, { name, priority, conditions: {}, warehouse_ids: [t.warehouses.syd] });
  }
  return listRoutingRules(getDb(), t.ctx);
}

const order = (rules: { name: string; priority: number }[]) => rules.map((r) => [r.name, r.priority]);

describe("moveRoutingRule", () => {
  it("swaps a rule with its neighbour and renumbers the account's rules 10, 20, 30 in the new order", async () => {
    const t = await createTenant();
    const [, , third] = await threeRules(t);
    expect(order(await moveRoutingRule(getDb(), t.ctx, third.id, "up"))).toEqual([["First", 10], ["Third", 20], ["Second", 30]]);
    const [first] = await listRoutingRules(getDb(), t.ctx);
    await moveRoutingRule(getDb(), t.ctx, first.id, "down");
    expect(order(await listRoutingRules(getDb(), t.ctx))).toEqual([["Third", 10], ["First", 20], ["Second", 30]]);
  });

  it("leaves the order alone when the rule is already at that end", async () => {
    const t = await createTenant();
    const [first, , third] = await threeRules(t);
    expect(order(await moveRoutingRule(getDb(), t.ctx, first.id, "up"))).toEqual([["First", 10], ["Second", 20], ["Third", 35]]);
    expect(order(await moveRoutingRule(getDb(), t.ctx, third.id, "down"))).toEqual([["First", 10], ["Second", 20], ["Third", 35]]);
  });

  it("does not find another account's rule, and changes nothing of either account", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const [, second] = await threeRules(t);
    await threeRules(other);
    await expect(moveRoutingRule(getDb(), other.ctx, second.id, "up")).rejects.toBeInstanceOf(NotFoundError);
    expect(order(await listRoutingRules(getDb(), t.ctx))).toEqual([["First", 10], ["Second", 20], ["Third", 35]]);
    expect(order(await listRoutingRules(getDb(), other.ctx))).toEqual([["First", 10], ["Second", 20], ["Third", 35]]);
  });
});
