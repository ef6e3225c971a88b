import { numericIdOf } from "@/lib/channels/shopify/gid";
import type { FulfillmentInput, FulfillmentOrderNode } from "@/lib/channels/shopify/admin/operations";

/*
 * Where a shipment's units sit among the order's Shopify fulfillment orders: pure functions of what Shopify
 * answered, so the push can re-read and re-plan on every attempt (a retry after a lost answer plans from what
 * Shopify has now, never from what the lost call was meant to do).
 */

const OPEN_STATUSES = new Set(["OPEN", "IN_PROGRESS"]);

const locationOf = (fo: FulfillmentOrderNode) => fo.assignedLocation?.location?.id ?? "";

type Allocation =
  | { ok: true; open: FulfillmentOrderNode[]; groups: Map<string, Map<string, number>> }
  | { ok: false; code: "NOT_OPEN" | "NOTHING_TO_FULFILL"; reason: string };

/**
 * Takes each shipped unit from an open fulfillment order line item of its Shopify line item, those at
 * `preferredLocation` first. Groups: fulfillment order id → its line item id → units taken.
 */
function allocate(fulfillmentOrders: FulfillmentOrderNode[], shipped: Map<string, number>, preferredLocation: string | null): Allocation {
  const open = fulfillmentOrders
    .filter((fo) => OPEN_STATUSES.has(fo.status))
    .sort((a, b) => Number(locationOf(b) === preferredLocation) - Number(locationOf(a) === preferredLocation));
  const remaining = new Map(open.flatMap((fo) => fo.lineItems.nodes.map((li) => [li.id, li.remainingQuantity] as const)));
  const groups = new Map<string, Map<string, number>>();
  for (const [lineItemId, quantity] of shipped) {
    let left = quantity;
    for (const fo of open) {
      for (const li of fo.lineItems.nodes) {
        if (left === 0) break;
        if (numericIdOf(li.lineItem.id) !== lineItemId) continue;
        const take = Math.min(left, remaining.get(li.id) ?? 0);
        if (take <= 0) continue;
        remaining.set(li.id, (remaining.get(li.id) ?? 0) - take);
        const group = groups.get(fo.id) ?? new Map<string, number>();
        group.set(li.id, (group.get(li.id) ?? 0) + take);
        groups.set(fo.id, group);
        left -= take;
      }
    }
    if (left > 0) return { ok: false, code: "NOT_OPEN", reason: `Shopify line item ${lineItemId}: ${left} of ${quantity} shipped unit(s) are not open for fulfillment on Shopify.` };
  }
  if (!groups.size) return { ok: false, code: "NOTHING_TO_FULFILL", reason: "The shipment has no units to fulfill on Shopify." };
  return { ok: true, open, groups };
}

/** The locations the allocation takes units from, in the order of first use. */
const locationsUsed = (allocation: Extract<Allocation, { ok: true }>) => [
  ...new Set(allocation.open.filter((fo) => allocation.groups.has(fo.id)).map(locationOf)),
];

export type FulfillmentPlan =
  | { ok: true; lineItemsByFulfillmentOrder: FulfillmentInput["lineItemsByFulfillmentOrder"] }
  | { ok: false; code: "NOT_OPEN" | "NOTHING_TO_FULFILL"; reason: string }
  | { ok: false; code: "SEVERAL_LOCATIONS"; reason: string; locations: string[] };

/**
 * Maps the shipped units onto the order's open fulfillment order line items (by Shopify line item id), preferring
 * fulfillment orders at the shipment warehouse's location. Anything that cannot be placed is an error: a partial
 * fulfillment that silently drops a line is worse than a visible failure. So is a plan across locations, which
 * Shopify's fulfillmentCreate refuses (`unitsToMove` says what to move first).
 */
export function planFulfillment(fulfillmentOrders: FulfillmentOrderNode[], shipped: Map<string, number>, preferredLocation: string | null): FulfillmentPlan {
  const allocation = allocate(fulfillmentOrders, shipped, preferredLocation);
  if (!allocation.ok) return allocation;
  const locations = locationsUsed(allocation);
  if (locations.length > 1) {
    return {
      ok: false,
      code: "SEVERAL_LOCATIONS",
      reason: `The shipped lines sit in fulfillment orders at different Shopify locations (${locations.map(numericIdOf).join(", ")}); one fulfillment cannot cover them.`,
      locations,
    };
  }
  return {
    ok: true,
    lineItemsByFulfillmentOrder: [...allocation.groups].map(([fulfillmentOrderId, lines]) => ({
      fulfillmentOrderId,
      fulfillmentOrderLineItems: [...lines].map(([id, quantity]) => ({ id, quantity })),
    })),
  };
}

export type UnitsToMove = {
  fulfillmentOrderId: string;
  fromLocationId: string;
  /** Fulfillment order line item ids and quantities, as fulfillmentOrderMove takes them, with what they are. */
  lines: { id: string; quantity: number; lineItemId: string; sku: string | null }[];
};

/**
 * Which units must move to `location` (the shipment warehouse's Shopify location) before one fulfillment can cover
 * the shipment: exactly the units the plan takes from fulfillment orders elsewhere, one move per fulfillment order,
 * and only when the plan spans several locations. Nothing when the shipment already fits one location (a retry
 * after a lost move answer finds everything in place) or cannot be placed at all (planFulfillment says why).
 */
export function unitsToMove(fulfillmentOrders: FulfillmentOrderNode[], shipped: Map<string, number>, location: string): UnitsToMove[] {
  const allocation = allocate(fulfillmentOrders, shipped, location);
  if (!allocation.ok || locationsUsed(allocation).length < 2) return [];
  const moves: UnitsToMove[] = [];
  for (const fo of allocation.open) {
    const group = allocation.groups.get(fo.id);
    if (!group || locationOf(fo) === location) continue;
    moves.push({
      fulfillmentOrderId: fo.id,
      fromLocationId: locationOf(fo),
      lines: [...group].map(([id, quantity]) => {
        const li = fo.lineItems.nodes.find((n) => n.id === id)!;
        return { id, quantity, lineItemId: li.lineItem.id, sku: li.lineItem.sku };
      }),
    });
  }
  return moves;
}
