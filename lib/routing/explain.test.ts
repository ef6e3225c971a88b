import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orders, warehouses } from "@/db/schema";
import { createSku, createTenant } from "@/e2e/support/factories";
import { ValidationError } from "@/lib/errors";
import { trialRoute } from "./explain";
import { createRoutingRule } from "./rules";

const au = { country: "AU", state: "NSW", tags: [] as string[] };

describe("trialRoute", () => {
  it("names the winning warehouse and says, rule by rule in priority order, why each matched, was skipped or was never reached", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 10 });
    const [syd] = await getDb().select({ name: warehouses.name }).from(warehouses).where(eq(warehouses.id, t.warehouses.syd));
    await createRoutingRule(getDb(), t.ctx, { name: "NZ from Melbourne", priority: 10, conditions: { countries: ["NZ"] }, warehouse_ids: [t.warehouses.mel] });
    await createRoutingRule(getDb(), t.ctx, { name: "Switched off", priority: 15, active: false, conditions: {}, warehouse_ids: [t.warehouses.mel] });
    await createRoutingRule(getDb(), t.ctx, { name: "Melbourne first", priority: 20, conditions: {}, warehouse_ids: [t.warehouses.mel, t.warehouses.syd] });
    await createRoutingRule(getDb(), t.ctx, { name: "Anything else", priority: 30, conditions: {}, warehouse_ids: [t.warehouses.syd] });

    const trial = await trialRoute(getDb(), t.ctx, { ...au, lines: [{ sku: "WIDGET", quantity: 2, unitPrice: null }] });

    expect(trial).toMatchObject({ winner: { id: t.warehouses.syd, name: syd.name } });
    expect(trial.verdicts.map((v) => [v.rule, v.outcome])).toEqual([
      ["NZ from Melbourne", "skipped"],
      ["Switched off", "inactive"],
      ["Melbourne first", "won"],
      ["Anything else", "not_reached"],
    ]);
    expect(trial.verdicts[0].details).toEqual([{ warehouse: null, result: "skipped", why: "destination country AU is not one of NZ" }]);
    expect(trial.verdicts[2].details.map((d) => [d.warehouse, d.result])).toEqual([
      ["Melbourne DC", "skipped"],
      [syd.name, "matched"],
    ]);
    expect(trial.verdicts[2].details[0].why).toMatch(/stock/);
    // A trial writes nothing: no order exists for the account.
    expect(await getDb().select().from(orders).where(eq(orders.accountId, t.accountId))).toEqual([]);
  });

  it("without rules, explains the warehouses in fallback order, and says when no warehouse can take the order", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.mel]: 1 });
    const one = await trialRoute(getDb(), t.ctx, { ...au, lines: [{ sku: "WIDGET", quantity: 1, unitPrice: null }] });
    expect(one).toMatchObject({ winner: { id: t.warehouses.mel }, verdicts: [{ ruleId: null, outcome: "won" }] });
    const tooMany = await trialRoute(getDb(), t.ctx, { ...au, lines: [{ sku: "WIDGET", quantity: 5, unitPrice: null }] });
    expect(tooMany).toMatchObject({ winner: null, verdicts: [{ ruleId: null, outcome: "skipped" }] });
  });

  it("refuses lines naming SKUs the account does not have, on the lines field", async () => {
    const t = await createTenant();
    await createSku(t, "WIDGET", { [t.warehouses.syd]: 1 });
    const refused = await trialRoute(getDb(), t.ctx, { ...au, lines: [{ sku: "WIDGET", quantity: 1, unitPrice: null }, { sku: "NOPE", quantity: 1, unitPrice: null }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ field: "lines", message: "Not SKUs of this account: NOPE." });
  });
});
