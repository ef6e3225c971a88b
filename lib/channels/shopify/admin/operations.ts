import { createHash } from "node:crypto";
import type { ShopifyAdminClient } from "./client";
import { defineOperation } from "./client";
import { AdminApiError, userErrorsToError, type UserError } from "./errors";

/*
 * The GraphQL Admin API operations of the push-back (API version 2026-04 or newer). requestedCost is the estimate
 * Shopify's cost calculator gives for the selection (connections cost 2 + first × node); the client learns the real
 * figures after the first call.
 */

export type FulfillmentOrderLine = { id: string; remainingQuantity: number; totalQuantity: number; lineItem: { id: string; sku: string | null } };
export type FulfillmentOrderNode = {
  id: string;
  status: string;
  assignedLocation: { location: { id: string } | null } | null;
  lineItems: { nodes: FulfillmentOrderLine[] };
};

/**
 * One page of an order's fulfillment orders. Five with 50 line items each keeps a page near 540 cost points, under
 * the 1,000 a single query may cost; an order that Shopify's routing split and the push moved between locations can
 * have more, so orderFulfillmentOrders follows the pages.
 */
export const ORDER_FULFILLMENT_ORDERS = defineOperation<
  {
    order: {
      id: string;
      fulfillmentOrders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: FulfillmentOrderNode[] };
    } | null;
  },
  { id: string; first: number; after: string | null }
>(
  "HubOrderFulfillmentOrders",
  `query HubOrderFulfillmentOrders($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    id
    fulfillmentOrders(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        status
        assignedLocation { location { id } }
        lineItems(first: 50) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } }
      }
    }
  }
}`,
  540,
);

type OrderFulfillmentOrdersPage = NonNullable<(typeof ORDER_FULFILLMENT_ORDERS)["__data"]>;

/** Fulfillment orders per page (see the cost note above), and pages read at most for one order: beyond that something is wrong, not merely large. */
const FULFILLMENT_ORDERS_PAGE = 5;
const MAX_FULFILLMENT_ORDER_PAGES = 20;

export const ORDER_FULFILLMENTS = defineOperation<
  { order: { id: string; fulfillments: { id: string; status: string; trackingInfo: { number: string | null }[] }[] } | null },
  { id: string }
>(
  "HubOrderFulfillments",
  `query HubOrderFulfillments($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 50) { id status trackingInfo(first: 20) { number } }
  }
}`,
  60,
);

/** The order's existing fulfillments with their status and tracking numbers (to recognise one a lost response already created). */
export async function orderFulfillments(client: ShopifyAdminClient, orderGid: string): Promise<{ id: string; status: string; numbers: string[] }[]> {
  const data = await client.request(ORDER_FULFILLMENTS, { id: orderGid });
  return (data.order?.fulfillments ?? []).map((f) => ({
    id: f.id,
    status: f.status,
    numbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => Boolean(n)),
  }));
}

export type TrackingInput = { company: string | null; numbers: string[]; urls: string[] };

export type FulfillmentInput = {
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[];
  trackingInfo: TrackingInput;
  notifyCustomer: boolean;
};

export const FULFILLMENT_CREATE = defineOperation<
  { fulfillmentCreate: { fulfillment: { id: string; status: string } | null; userErrors: UserError[] } },
  { fulfillment: FulfillmentInput }
>(
  "HubFulfillmentCreate",
  `mutation HubFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}`,
  10,
  { repeatable: false },
);

export const FULFILLMENT_ORDER_MOVE = defineOperation<
  {
    fulfillmentOrderMove: {
      movedFulfillmentOrder: FulfillmentOrderNode | null;
      originalFulfillmentOrder: { id: string } | null;
      remainingFulfillmentOrder: { id: string } | null;
      userErrors: UserError[];
    };
  },
  { id: string; newLocationId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }
>(
  "HubFulfillmentOrderMove",
  `mutation HubFulfillmentOrderMove($id: ID!, $newLocationId: ID!, $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
  fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
    movedFulfillmentOrder {
      id
      status
      assignedLocation { location { id } }
      lineItems(first: 50) { nodes { id remainingQuantity totalQuantity lineItem { id sku } } }
    }
    originalFulfillmentOrder { id }
    remainingFulfillmentOrder { id }
    userErrors { field message }
  }
}`,
  62,
  // Sent again after a lost answer it would move the units a second time (or be refused for quantity): the push's
  // next attempt re-reads the fulfillment orders and moves only what is still elsewhere.
  { repeatable: false },
);

export const FULFILLMENT_TRACKING_UPDATE = defineOperation<
  { fulfillmentTrackingInfoUpdate: { fulfillment: { id: string } | null; userErrors: UserError[] } },
  { fulfillmentId: string; trackingInfoInput: TrackingInput; notifyCustomer: boolean }
>(
  "HubFulfillmentTrackingInfoUpdate",
  `mutation HubFulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
    fulfillment { id }
    userErrors { field message }
  }
}`,
  10,
);

export const FULFILLMENT_CANCEL = defineOperation<
  { fulfillmentCancel: { fulfillment: { id: string; status: string } | null; userErrors: UserError[] } },
  { id: string }
>(
  "HubFulfillmentCancel",
  `mutation HubFulfillmentCancel($id: ID!) {
  fulfillmentCancel(id: $id) {
    fulfillment { id status }
    userErrors { field message }
  }
}`,
  10,
);

export const FULFILLMENT_STATUS = defineOperation<{ fulfillment: { id: string; status: string } | null }, { id: string }>(
  "HubFulfillmentStatus",
  `query HubFulfillmentStatus($id: ID!) {
  fulfillment(id: $id) { id status }
}`,
  1,
);

export type SetQuantity = { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null };

const INVENTORY_SET = defineOperation<
  { inventorySetQuantities: { inventoryAdjustmentGroup: { id: string } | null; userErrors: UserError[] } },
  { input: { name: "available"; reason: "correction"; quantities: SetQuantity[] } }
>(
  "HubInventorySetQuantities",
  `mutation HubInventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: "__KEY__") {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`,
  10,
);

export const VARIANT_INVENTORY_ITEM = defineOperation<{ productVariant: { id: string; inventoryItem: { id: string } | null } | null }, { id: string }>(
  "HubVariantInventoryItem",
  `query HubVariantInventoryItem($id: ID!) {
  productVariant(id: $id) { id inventoryItem { id } }
}`,
  3,
);

export const INVENTORY_ITEMS_BY_SKU = defineOperation<{ inventoryItems: { nodes: { id: string; sku: string | null }[] } }, { query: string }>(
  "HubInventoryItemsBySku",
  `query HubInventoryItemsBySku($query: String!) {
  inventoryItems(first: 2, query: $query) { nodes { id sku } }
}`,
  4,
);

type LevelNode = { id: string; inventoryLevel: { quantities: { name: string; quantity: number }[] } | null } | null;

export const INVENTORY_LEVELS = defineOperation<{ nodes: LevelNode[] }, { ids: string[]; locationId: string }>(
  "HubInventoryLevels",
  `query HubInventoryLevels($ids: [ID!]!, $locationId: ID!) {
  nodes(ids: $ids) {
    ... on InventoryItem {
      id
      inventoryLevel(locationId: $locationId) { quantities(names: ["available"]) { name quantity } }
    }
  }
}`,
  // nodes(ids:) costs per id; the estimate assumes a full batch of 50.
  152,
);

export const LEVELS_BATCH_SIZE = 50;

/** Creates one fulfillment; returns its gid. userErrors become an AdminApiError (permanent). */
export async function fulfillmentCreate(client: ShopifyAdminClient, input: FulfillmentInput): Promise<string> {
  const data = await client.request(FULFILLMENT_CREATE, { fulfillment: input });
  const payload = data.fulfillmentCreate;
  if (payload.userErrors.length || !payload.fulfillment) return client.failWith(FULFILLMENT_CREATE.name, userErrorsToError("fulfillmentCreate", payload.userErrors));
  return payload.fulfillment.id;
}

/**
 * Moves some units of a fulfillment order to another location (Shopify splits the fulfillment order when not all of
 * it moves); returns the fulfillment order that now holds them there. userErrors become an AdminApiError (permanent).
 */
export async function fulfillmentOrderMove(
  client: ShopifyAdminClient,
  fulfillmentOrderId: string,
  newLocationId: string,
  lines: { id: string; quantity: number }[],
): Promise<{ movedFulfillmentOrderId: string }> {
  const data = await client.request(FULFILLMENT_ORDER_MOVE, { id: fulfillmentOrderId, newLocationId, fulfillmentOrderLineItems: lines });
  const payload = data.fulfillmentOrderMove;
  if (payload.userErrors.length || !payload.movedFulfillmentOrder) {
    const refusal = payload.userErrors.length ? payload.userErrors : [{ message: `fulfillment order ${fulfillmentOrderId} was not moved` }];
    return client.failWith(FULFILLMENT_ORDER_MOVE.name, userErrorsToError("fulfillmentOrderMove", refusal));
  }
  return { movedFulfillmentOrderId: payload.movedFulfillmentOrder.id };
}

export async function fulfillmentTrackingInfoUpdate(client: ShopifyAdminClient, fulfillmentId: string, tracking: TrackingInput, notifyCustomer: boolean): Promise<void> {
  const data = await client.request(FULFILLMENT_TRACKING_UPDATE, { fulfillmentId, trackingInfoInput: tracking, notifyCustomer });
  const payload = data.fulfillmentTrackingInfoUpdate;
  if (payload.userErrors.length) await client.failWith(FULFILLMENT_TRACKING_UPDATE.name, userErrorsToError("fulfillmentTrackingInfoUpdate", payload.userErrors));
}

/**
 * Cancels a fulfillment; Shopify puts its units back among the order's fulfillable ones. Safe to repeat: when Shopify
 * refuses, the fulfillment's own status decides (CANCELLED already — a retry after a lost answer, or the merchant
 * cancelled it first — is success), not the wording of the refusal. Any other refusal is an AdminApiError (permanent).
 */
export async function fulfillmentCancel(client: ShopifyAdminClient, fulfillmentId: string): Promise<{ alreadyCancelled: boolean }> {
  const data = await client.request(FULFILLMENT_CANCEL, { id: fulfillmentId });
  const payload = data.fulfillmentCancel;
  if (!payload.userErrors.length && payload.fulfillment?.status === "CANCELLED") return { alreadyCancelled: false };
  const current = await client.request(FULFILLMENT_STATUS, { id: fulfillmentId });
  if (current.fulfillment?.status === "CANCELLED") return { alreadyCancelled: true };
  const refusal = payload.userErrors.length ? payload.userErrors : [{ message: `fulfillment ${fulfillmentId} is ${current.fulfillment?.status ?? "unknown to Shopify"}, not cancelled` }];
  return client.failWith(FULFILLMENT_CANCEL.name, userErrorsToError("fulfillmentCancel", refusal));
}

/** Every fulfillment order of the order, page by page (null: Shopify has no such order). */
export async function orderFulfillmentOrders(client: ShopifyAdminClient, orderGid: string): Promise<FulfillmentOrderNode[] | null> {
  const all: FulfillmentOrderNode[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_FULFILLMENT_ORDER_PAGES; page++) {
    const data: OrderFulfillmentOrdersPage = await client.request(ORDER_FULFILLMENT_ORDERS, { id: orderGid, first: FULFILLMENT_ORDERS_PAGE, after });
    if (!data.order) return null;
    const { nodes, pageInfo } = data.order.fulfillmentOrders;
    all.push(...nodes);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) return all;
    after = pageInfo.endCursor;
  }
  throw new AdminApiError("permanent", "TOO_MANY_FULFILLMENT_ORDERS", `Order ${orderGid} has more than ${FULFILLMENT_ORDERS_PAGE * MAX_FULFILLMENT_ORDER_PAGES} fulfillment orders.`);
}

/**
 * A deterministic idempotency key: a retry of the very same set (same row, same change, same from → to) reuses
 * its key so Shopify applies it once; any different set gets a different key. Formatted as a UUID, as Shopify asks.
 */
export function idempotencyKeyFor(parts: (string | number | null)[]): string {
  const h = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Sets `available` with compare-and-swap (changeFromQuantity is always sent; the mutation carries @idempotent as
 * 2026-04 requires). A stale base comes back as an AdminApiError with code CHANGE_FROM_QUANTITY_STALE.
 */
export async function inventorySetAvailable(client: ShopifyAdminClient, quantity: SetQuantity, idempotencyKey: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(idempotencyKey)) throw new Error("idempotency key must be a UUID");
  const query = INVENTORY_SET.query.replace("__KEY__", idempotencyKey);
  const data = await client.request(INVENTORY_SET, { input: { name: "available", reason: "correction", quantities: [quantity] } }, query);
  const payload = data.inventorySetQuantities;
  if (payload.userErrors.length) await client.failWith(INVENTORY_SET.name, userErrorsToError("inventorySetQuantities", payload.userErrors));
}

/** The inventory item of a variant (gid), or of a SKU when the mapping has no variant; null when Shopify has none. */
export async function findInventoryItemId(client: ShopifyAdminClient, ref: { variantId: string | null; sku: string | null }): Promise<string | null> {
  if (ref.variantId) {
    const data = await client.request(VARIANT_INVENTORY_ITEM, { id: ref.variantId });
    return data.productVariant?.inventoryItem?.id ?? null;
  }
  if (!ref.sku) return null;
  const escaped = ref.sku.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  const data = await client.request(INVENTORY_ITEMS_BY_SKU, { query: `sku:"${escaped}"` });
  // Search is fuzzy: only an exact SKU match counts, and two items with the same SKU are ambiguous.
  const exact = data.inventoryItems.nodes.filter((n) => n.sku === ref.sku);
  return exact.length === 1 ? exact[0].id : null;
}

/** Shopify's `available` per inventory item at one location (items without a level there are left out). */
export async function inventoryAvailableAt(client: ShopifyAdminClient, inventoryItemIds: string[], locationId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < inventoryItemIds.length; i += LEVELS_BATCH_SIZE) {
    const ids = inventoryItemIds.slice(i, i + LEVELS_BATCH_SIZE);
    const data = await client.request(INVENTORY_LEVELS, { ids, locationId });
    for (const node of data.nodes) {
      const q = node?.inventoryLevel?.quantities.find((x) => x.name === "available");
      if (node && q) out.set(node.id, q.quantity);
    }
  }
  return out;
}
