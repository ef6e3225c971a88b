import { describe, expect, it } from "vitest";
import type { FulfillmentOrderNode } from "@/lib/channels/shopify/admin/operations";
import { planFulfillment, unitsToMove } from "./fulfillment-plan";

const HERE = "gid://shopify/Location/1";
const AWAY = "gid://shopify/Location/2";
const FAR = "gid://shopify/Location/3";

/** A fulfillment order as Shopify answers it: lines as [fulfillment order line item id, line item number, remaining, total?]. */
function fo(id: string, location: string, lines: [string, string, number, number?][], status = "OPEN"): FulfillmentOrderNode {
  return {
    id,
    status,
    assignedLocation: { location: { id: location } },
    lineItems: {
      nodes: lines.map(([lineId, lineItem, remaining, total]) => ({
        id: lineId,
        remainingQuantity: remaining,
        totalQuantity: total ?? remaining,
        lineItem: { id: `gid://shopify/LineItem/${lineItem}`, sku: `SKU-${lineItem}` },
      })),
    },
  };
}

const shipped = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe("unitsToMove", () => {
  it("moves exactly the shipped units that sit away from the warehouse's location, one move per fulfillment order", () => {
    const orders = [fo("fo-here", HERE, [["a", "11", 2]]), fo("fo-away", AWAY, [["b", "12", 3], ["c", "13", 1]]), fo("fo-far", FAR, [["d", "14", 1]])];
    expect(unitsToMove(orders, shipped({ "11": 2, "12": 2, "14": 1 }), HERE)).toEqual([
      { fulfillmentOrderId: "fo-away", fromLocationId: AWAY, lines: [{ id: "b", quantity: 2, lineItemId: "gid://shopify/LineItem/12", sku: "SKU-12" }] },
      { fulfillmentOrderId: "fo-far", fromLocationId: FAR, lines: [{ id: "d", quantity: 1, lineItemId: "gid://shopify/LineItem/14", sku: "SKU-14" }] },
    ]);
  });

  it("takes a line's units at the warehouse's location first and moves only the rest", () => {
    const orders = [fo("fo-away", AWAY, [["a2", "11", 3]]), fo("fo-here", HERE, [["a1", "11", 2]])];
    expect(unitsToMove(orders, shipped({ "11": 4 }), HERE)).toEqual([
      { fulfillmentOrderId: "fo-away", fromLocationId: AWAY, lines: [{ id: "a2", quantity: 2, lineItemId: "gid://shopify/LineItem/11", sku: "SKU-11" }] },
    ]);
  });

  it("moves everything to the warehouse's location when the shipment spans two other locations", () => {
    const orders = [fo("fo-away", AWAY, [["a", "11", 1]]), fo("fo-far", FAR, [["b", "12", 1]])];
    expect(unitsToMove(orders, shipped({ "11": 1, "12": 1 }), HERE).map((m) => m.fulfillmentOrderId)).toEqual(["fo-away", "fo-far"]);
  });

  it("moves nothing when the shipment already fits one location: after a move whose answer was lost, or as Shopify routed it", () => {
    const moved = [fo("fo-here", HERE, [["a", "11", 1]]), fo("fo-here-2", HERE, [["b", "12", 2]]), fo("fo-away", AWAY, [["c", "12", 1]])];
    expect(unitsToMove(moved, shipped({ "11": 1, "12": 2 }), HERE)).toEqual([]);
    expect(unitsToMove([fo("fo-away", AWAY, [["a", "11", 2]])], shipped({ "11": 2 }), HERE)).toEqual([]);
  });

  it("moves nothing when the shipped units are not all open on Shopify (the plan says why instead)", () => {
    const orders = [fo("fo-here", HERE, [["a", "11", 1]]), fo("fo-away", AWAY, [["b", "12", 1]]), fo("fo-done", AWAY, [["c", "13", 0, 1]], "CLOSED")];
    expect(unitsToMove(orders, shipped({ "11": 1, "12": 1, "13": 1 }), HERE)).toEqual([]);
    expect(planFulfillment(orders, shipped({ "11": 1, "12": 1, "13": 1 }), HERE)).toMatchObject({ ok: false, code: "NOT_OPEN" });
  });

  it("ignores fulfillment orders that are not open and units already fulfilled", () => {
    const orders = [fo("fo-here", HERE, [["a", "11", 1]]), fo("fo-hold", AWAY, [["b", "12", 1]], "ON_HOLD"), fo("fo-away", FAR, [["c", "12", 1, 3]], "IN_PROGRESS")];
    expect(unitsToMove(orders, shipped({ "11": 1, "12": 1 }), HERE)).toEqual([
      { fulfillmentOrderId: "fo-away", fromLocationId: FAR, lines: [{ id: "c", quantity: 1, lineItemId: "gid://shopify/LineItem/12", sku: "SKU-12" }] },
    ]);
  });
});

describe("planFulfillment", () => {
  it("refuses a plan across locations, naming them", () => {
    const orders = [fo("fo-here", HERE, [["a", "11", 1]]), fo("fo-away", AWAY, [["b", "12", 1]])];
    expect(planFulfillment(orders, shipped({ "11": 1, "12": 1 }), null)).toMatchObject({ ok: false, code: "SEVERAL_LOCATIONS", locations: [HERE, AWAY] });
  });

  it("plans one fulfillment once the units sit at one location", () => {
    const orders = [fo("fo-here", HERE, [["a", "11", 1]]), fo("fo-moved", HERE, [["b2", "12", 1]]), fo("fo-away", AWAY, [["c", "13", 1]])];
    expect(planFulfillment(orders, shipped({ "11": 1, "12": 1 }), HERE)).toEqual({
      ok: true,
      lineItemsByFulfillmentOrder: [
        { fulfillmentOrderId: "fo-here", fulfillmentOrderLineItems: [{ id: "a", quantity: 1 }] },
        { fulfillmentOrderId: "fo-moved", fulfillmentOrderLineItems: [{ id: "b2", quantity: 1 }] },
      ],
    });
  });
});
