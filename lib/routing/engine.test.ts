import { describe, expect, it } from "vitest";
import { describeDecision, orderValue, routeOrder, type RoutingFacts, type RoutingInput, type WarehouseFacts } from "./engine";

const wh = (id: string, overrides: Partial<WarehouseFacts> = {}): WarehouseFacts => ({
  id,
  name: id.toUpperCase(),
  priority: 100,
  paused: false,
  dailyCapacity: null,
  routedToday: 0,
  available: { sku_a: 10, sku_b: 10 },
  holdsAccountStock: true,
  ...overrides,
});

const input = (overrides: Partial<RoutingInput> = {}): RoutingInput => ({
  country: "AU",
  state: "NSW",
  tags: [],
  lines: [
    { skuId: "sku_a", sku: "A", quantity: 2, unitPrice: "10.00" },
    { skuId: "sku_b", sku: "B", quantity: 1, unitPrice: "5.50" },
  ],
  ...overrides,
});

const rule = (id: string, priority: number, warehouseIds: string[], conditions = {}, active = true) => ({ id, name: id, priority, active, conditions, warehouseIds });

describe("routeOrder (pure)", () => {
  it("runs rules by priority; the first rule with an eligible warehouse wins", () => {
    const facts: RoutingFacts = {
      rules: [rule("late", 20, ["mel"]), rule("early", 10, ["syd"])],
      warehouses: [wh("syd"), wh("mel")],
    };
    expect(routeOrder(input(), facts)).toEqual({
      warehouseId: "syd",
      reasons: [{ rule: "early", rule_id: "early", warehouse_id: "syd", result: "matched", why: "SYD has stock for every line" }],
    });
  });

  it("skips paused, over-capacity and short warehouses, in the rule's order, with a reason for each", () => {
    const facts: RoutingFacts = {
      rules: [rule("au", 1, ["paused", "full", "short", "ok"])],
      warehouses: [wh("paused", { paused: true }), wh("full", { dailyCapacity: 5, routedToday: 5 }), wh("short", { available: { sku_a: 1, sku_b: 10 } }), wh("ok")],
    };
    const decision = routeOrder(input(), facts);
    expect(decision.warehouseId).toBe("ok");
    expect(decision.reasons.map((r) => [r.warehouse_id, r.result, r.why])).toEqual([
      ["paused", "skipped", "warehouse is paused"],
      ["full", "skipped", "warehouse is at its daily capacity (5/5 orders today)"],
      ["short", "skipped", "lacks stock for A (needs 2, 1 available)"],
      ["ok", "matched", "OK has stock for every line"],
    ]);
  });

  it("a warehouse under capacity is eligible", () => {
    const facts: RoutingFacts = { rules: [rule("r", 1, ["syd"])], warehouses: [wh("syd", { dailyCapacity: 5, routedToday: 4 })] };
    expect(routeOrder(input(), facts).warehouseId).toBe("syd");
  });

  it("sums lines of one SKU before checking stock", () => {
    const facts: RoutingFacts = { rules: [], warehouses: [wh("syd", { available: { sku_a: 3 } })] };
    const lines = [
      { skuId: "sku_a", sku: "A", quantity: 2 },
      { skuId: "sku_a", sku: "A", quantity: 2 },
    ];
    expect(routeOrder(input({ lines }), facts).warehouseId).toBeNull();
  });

  const conditionCases: { name: string; conditions: object; order?: Partial<RoutingInput>; matches: boolean; why?: RegExp }[] = [
    { name: "country listed", conditions: { countries: ["NZ", "AU"] }, matches: true },
    { name: "country not listed", conditions: { countries: ["NZ"] }, matches: false, why: /country AU is not one of NZ/ },
    { name: "state listed (any case)", conditions: { states: ["nsw"] }, matches: true },
    { name: "state not listed", conditions: { states: ["VIC"] }, matches: false, why: /state NSW/ },
    { name: "no state on the order", conditions: { states: ["VIC"] }, order: { state: null }, matches: false, why: /\(none\)/ },
    { name: "one of the SKUs present", conditions: { skus: ["B", "Z"] }, matches: true },
    { name: "none of the SKUs present", conditions: { skus: ["Z"] }, matches: false, why: /SKUs Z/ },
    { name: "tag present", conditions: { tags: ["vip"] }, order: { tags: ["vip"] }, matches: true },
    { name: "tag absent", conditions: { tags: ["vip"] }, matches: false, why: /tags vip/ },
    { name: "value at the minimum", conditions: { min_order_value: 25.5 }, matches: true },
    { name: "value below the minimum", conditions: { min_order_value: 25.51 }, matches: false, why: /25.50 is below/ },
    { name: "value above the maximum", conditions: { max_order_value: 20 }, matches: false, why: /above 20/ },
    { name: "all conditions hold", conditions: { countries: ["AU"], states: ["NSW"], skus: ["A"], max_order_value: 100 }, matches: true },
  ];
  it.each(conditionCases)("conditions: $name", (c) => {
    const facts: RoutingFacts = { rules: [rule("r", 1, ["syd"], c.conditions)], warehouses: [wh("syd")] };
    const decision = routeOrder(input(c.order), facts);
    expect(decision.warehouseId).toBe(c.matches ? "syd" : null);
    if (c.why) expect(decision.reasons[0]).toMatchObject({ rule: "r", result: "skipped", why: expect.stringMatching(c.why) });
  });

  it("ignores inactive rules; with rules but no match the answer is no warehouse (no fallback)", () => {
    const facts: RoutingFacts = { rules: [rule("off", 1, ["syd"], {}, false), rule("nz", 2, ["syd"], { countries: ["NZ"] })], warehouses: [wh("syd")] };
    const decision = routeOrder(input(), facts);
    expect(decision.warehouseId).toBeNull();
    expect(decision.reasons.map((r) => r.rule)).toEqual(["nz"]);
  });

  it("only inactive rules → the no-rules fallback applies", () => {
    const facts: RoutingFacts = { rules: [rule("off", 1, ["mel"], {}, false)], warehouses: [wh("syd", { priority: 5 }), wh("mel", { priority: 1 })] };
    expect(routeOrder(input(), facts).warehouseId).toBe("mel");
  });

  it("no rules: warehouses holding the account's stock in priority order, first with stock for every line", () => {
    const facts: RoutingFacts = {
      rules: [],
      warehouses: [
        wh("third", { priority: 30 }),
        wh("first", { priority: 10, available: { sku_a: 10 } }),
        wh("second", { priority: 20 }),
        wh("elsewhere", { priority: 1, holdsAccountStock: false }),
      ],
    };
    const decision = routeOrder(input(), facts);
    expect(decision.warehouseId).toBe("second");
    expect(decision.reasons.map((r) => [r.rule, r.warehouse_id, r.result])).toEqual([
      ["default", "first", "skipped"],
      ["default", "second", "matched"],
    ]);
    expect(describeDecision(decision, new Map([["second", "Second DC"], ["first", "First DC"]]))).toBe(
      "Routed to Second DC (no routing rules: first warehouse with stock for every line). Skipped: First DC (default): lacks stock for B (needs 1, 0 available).",
    );
  });

  it("no warehouse holds the account's stock → no warehouse, with the reason", () => {
    const decision = routeOrder(input(), { rules: [], warehouses: [wh("syd", { holdsAccountStock: false })] });
    expect(decision).toEqual({ warehouseId: null, reasons: [{ rule: "default", rule_id: null, result: "skipped", why: "no warehouse holds stock of this account" }] });
  });

  it("a rule naming a warehouse that no longer exists skips it", () => {
    const decision = routeOrder(input(), { rules: [rule("r", 1, ["gone", "syd"])], warehouses: [wh("syd")] });
    expect(decision.warehouseId).toBe("syd");
    expect(decision.reasons[0]).toMatchObject({ warehouse_id: "gone", result: "skipped", why: "warehouse no longer exists" });
  });

  it("order value is exact in cents and ignores lines without a price", () => {
    expect(orderValue([{ skuId: "a", sku: "A", quantity: 3, unitPrice: "0.10" }, { skuId: "b", sku: "B", quantity: 1, unitPrice: null }])).toBe(0.3);
  });
});
