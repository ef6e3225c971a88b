import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";

/*
 * A local HTTP server that answers like Shopify's GraphQL Admin API for the operations the hub uses: the cost
 * bucket (a leaky bucket; THROTTLED when a call's requested cost exceeds what is left), 429s and 5xx on demand,
 * answers lost after the call took effect, fulfillment orders (at one location or several, moved between them) and
 * the fulfillments created (and cancelled) against them, inventory levels with compare-and-swap
 * (CHANGE_FROM_QUANTITY_STALE) and the @idempotent directive. Everything it was asked is recorded for assertions.
 */

export type FakeLineItem = { id: string; lineItemId: string; sku: string | null; totalQuantity: number; remainingQuantity: number };
export type FakeFulfillmentOrder = { id: string; orderId: string; locationId: string; status: "OPEN" | "IN_PROGRESS" | "CLOSED"; lineItems: FakeLineItem[] };
export type FakeFulfillment = {
  id: string;
  orderId: string;
  status: "SUCCESS" | "CANCELLED";
  lines: { fulfillmentOrderId: string; fulfillmentOrderLineItemId: string; lineItemId: string; quantity: number }[];
  trackingInfo: { company: string | null; numbers: string[]; urls: string[] };
  notifyCustomer: boolean;
  trackingUpdates: { company: string | null; numbers: string[]; urls: string[]; notifyCustomer: boolean }[];
};
export type InventorySetCall = { key: string | null; quantities: { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity?: number | null }[]; outcome: string };

type Cost = { requested: number; actual: number };
type Injection = {
  status?: number;
  retryAfter?: string;
  userErrors?: { code?: string; field?: string[]; message: string }[];
  graphqlError?: string;
  /** The call takes effect, then its answer is lost (a 502 from the edge): the caller cannot tell it happened. */
  lostAnswer?: boolean;
};

// Matched in this order against the document: a mutation's name comes before the query fields its payload selects.
const ROOT_FIELDS = [
  "fulfillmentOrderMove",
  "fulfillmentCreate",
  "fulfillmentTrackingInfoUpdate",
  "fulfillmentCancel",
  "inventorySetQuantities",
  "productVariant",
  "inventoryItems",
  "nodes",
  "order",
  "fulfillment",
] as const;
type RootField = (typeof ROOT_FIELDS)[number];

export type FakeAdminOptions = {
  accessToken?: string;
  maximumAvailable?: number;
  restoreRate?: number;
  costs?: Partial<Record<RootField, Partial<Cost>>>;
};

export class FakeShopifyAdmin {
  readonly accessToken: string;
  maximumAvailable: number;
  restoreRate: number;
  private level: number;
  private levelAt = Date.now();
  private readonly costs: Record<RootField, Cost>;
  private server: Server | undefined;
  url = "";

  /** Everything observable by tests. */
  readonly stats = { requests: 0, throttled: 0, http429: 0, byField: {} as Record<string, number>, minLevel: Number.POSITIVE_INFINITY };
  readonly fulfillmentOrders = new Map<string, FakeFulfillmentOrder>();
  readonly fulfillments: FakeFulfillment[] = [];
  readonly inventory = new Map<string, number>();
  readonly variants = new Map<string, string>();
  readonly itemSkus = new Map<string, string>();
  readonly inventorySets: InventorySetCall[] = [];
  private readonly idempotent = new Map<string, { variables: unknown; response: unknown; failed: boolean }>();
  private readonly injections = new Map<RootField, Injection[]>();
  private seq = 1000;
  private gate: Promise<void> | undefined;
  private release = () => {};

  constructor(options: FakeAdminOptions = {}) {
    this.accessToken = options.accessToken ?? "shpat_test_token";
    this.maximumAvailable = options.maximumAvailable ?? 1000;
    this.restoreRate = options.restoreRate ?? 50;
    this.level = this.maximumAvailable;
    const base: Record<RootField, Cost> = {
      fulfillmentOrderMove: { requested: 62, actual: 12 },
      fulfillmentCreate: { requested: 10, actual: 10 },
      fulfillmentTrackingInfoUpdate: { requested: 10, actual: 10 },
      fulfillmentCancel: { requested: 10, actual: 10 },
      inventorySetQuantities: { requested: 10, actual: 10 },
      productVariant: { requested: 3, actual: 2 },
      inventoryItems: { requested: 4, actual: 2 },
      nodes: { requested: 20, actual: 5 },
      order: { requested: 40, actual: 6 },
      fulfillment: { requested: 1, actual: 1 },
    };
    for (const field of ROOT_FIELDS) base[field] = { ...base[field], ...(options.costs?.[field] ?? {}) };
    this.costs = base;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/admin/api/2026-04/graphql.json`;
    return this;
  }

  async stop(): Promise<void> {
    // A held answer would keep its connection, and so the server, open.
    this.release();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private nextId(kind: string): string {
    this.seq += 1;
    return `gid://shopify/${kind}/${this.seq}`;
  }

  /**
   * An order with one fulfillment order per location its lines were routed to (`locationId`, or a line's own, as
   * Shopify's order routing splits an order); returns the gids the hub would have received.
   */
  addOrder(input: { locationId: string; lines: { sku: string | null; quantity: number; locationId?: string }[] }) {
    const orderId = this.nextId("Order");
    const byLocation = new Map<string, FakeFulfillmentOrder>();
    const lineItemIds: string[] = [];
    for (const line of input.lines) {
      const locationId = line.locationId ?? input.locationId;
      let fo = byLocation.get(locationId);
      if (!fo) {
        fo = { id: this.nextId("FulfillmentOrder"), orderId, locationId, status: "OPEN", lineItems: [] };
        byLocation.set(locationId, fo);
        this.fulfillmentOrders.set(fo.id, fo);
      }
      const lineItemId = this.nextId("LineItem");
      lineItemIds.push(lineItemId);
      fo.lineItems.push({ id: this.nextId("FulfillmentOrderLineItem"), lineItemId, sku: line.sku, totalQuantity: line.quantity, remainingQuantity: line.quantity });
    }
    const fulfillmentOrderIds = [...byLocation.values()].map((fo) => fo.id);
    return { orderId, orderNumericId: orderId.split("/").pop()!, fulfillmentOrderId: fulfillmentOrderIds[0], fulfillmentOrderIds, lineItemIds };
  }

  /** The order's fulfillment orders that are not closed, with where they sit. */
  openFulfillmentOrdersOf(orderId: string): FakeFulfillmentOrder[] {
    return [...this.fulfillmentOrders.values()].filter((fo) => fo.orderId === orderId && fo.status !== "CLOSED");
  }

  /** A variant with its inventory item, stocked at the given locations. */
  addVariant(input: { sku: string; levels: Record<string, number> }) {
    const variantId = this.nextId("ProductVariant");
    const inventoryItemId = this.nextId("InventoryItem");
    this.variants.set(variantId, inventoryItemId);
    this.itemSkus.set(inventoryItemId, input.sku);
    for (const [location, qty] of Object.entries(input.levels)) this.inventory.set(`${inventoryItemId}|${location}`, qty);
    return { variantId, inventoryItemId };
  }

  available(inventoryItemId: string, locationId: string): number | undefined {
    return this.inventory.get(`${inventoryItemId}|${locationId}`);
  }

  /** Someone else changed Shopify's figure (a merchant edit, another app): drift for the reconciliation to find. */
  setAvailable(inventoryItemId: string, locationId: string, quantity: number): void {
    this.inventory.set(`${inventoryItemId}|${locationId}`, quantity);
  }

  /** Holds every answer (a slow or hung shop) until the returned function is called; requests still count as they arrive. */
  hold(): () => void {
    let open = () => {};
    this.gate = new Promise<void>((resolve) => (open = resolve));
    this.release = () => {
      this.gate = undefined;
      open();
    };
    return this.release;
  }

  /** The next `times` calls of a root field fail as described. */
  inject(field: RootField, injection: Injection, times = 1): void {
    const list = this.injections.get(field) ?? [];
    for (let i = 0; i < times; i++) list.push(injection);
    this.injections.set(field, list);
  }

  fulfillmentsOf(orderId: string): FakeFulfillment[] {
    return this.fulfillments.filter((f) => f.orderId === orderId);
  }

  /** Units still to fulfil per line item (gid) across the order's fulfillment orders that are not closed. */
  unfulfilledOf(orderId: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const fo of this.fulfillmentOrders.values()) {
      if (fo.orderId !== orderId || fo.status === "CLOSED") continue;
      for (const li of fo.lineItems) out.set(li.lineItemId, (out.get(li.lineItemId) ?? 0) + li.remainingQuantity);
    }
    return out;
  }

  private refill(): number {
    const now = Date.now();
    this.level = Math.min(this.maximumAvailable, this.level + ((now - this.levelAt) / 1000) * this.restoreRate);
    this.levelAt = now;
    return this.level;
  }

  private throttleStatus() {
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.level), restoreRate: this.restoreRate };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    this.stats.requests += 1;
    if (this.gate) await this.gate;
    if (req.method !== "POST") return send(405, { errors: "Method not allowed" });
    if (req.headers["x-shopify-access-token"] !== this.accessToken) return send(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(400, { errors: "Bad Request" });
    }
    const query = body.query ?? "";
    const variables = body.variables ?? {};
    const field = ROOT_FIELDS.find((f) => new RegExp(`\\b${f}\\s*\\(`).test(query));
    if (!field) return send(200, { errors: [{ message: "Unknown field", extensions: { code: "undefinedField" } }] });
    this.stats.byField[field] = (this.stats.byField[field] ?? 0) + 1;

    const injection = this.injections.get(field)?.shift();
    if (injection?.status) {
      if (injection.status === 429) this.stats.http429 += 1;
      return send(injection.status, { errors: "injected" }, injection.retryAfter ? { "retry-after": injection.retryAfter } : {});
    }

    const cost = this.costs[field];
    const level = this.refill();
    if (level < cost.requested) {
      this.stats.throttled += 1;
      return send(200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: cost.requested, actualQueryCost: null, throttleStatus: this.throttleStatus() } },
      });
    }
    this.level -= cost.actual;
    this.stats.minLevel = Math.min(this.stats.minLevel, this.level);
    const extensions = { cost: { requestedQueryCost: cost.requested, actualQueryCost: cost.actual, throttleStatus: this.throttleStatus() } };
    if (injection?.graphqlError) return send(200, { errors: [{ message: injection.graphqlError, extensions: { code: "BAD_REQUEST" } }], extensions });

    try {
      const data = this.resolve(field, query, variables, injection);
      if (injection?.lostAnswer) return send(502, { errors: "Bad Gateway" });
      return send(200, { data, extensions });
    } catch (error) {
      return send(200, { errors: [{ message: (error as Error).message, extensions: { code: "BAD_REQUEST" } }], extensions });
    }
  }

  private resolve(field: RootField, query: string, v: Record<string, unknown>, injection: Injection | undefined): unknown {
    switch (field) {
      case "order": {
        // The page size and cursor as the query states them, literally or through variables, as Shopify reads them.
        const paging = /fulfillmentOrders\(first:\s*(?:(\d+)|\$(\w+))(?:,\s*after:\s*\$(\w+))?/.exec(query);
        const first = paging ? Number(paging[1] ?? v[paging[2]]) : undefined;
        const after = paging?.[3] ? ((v[paging[3]] as string | null | undefined) ?? null) : null;
        return { order: this.orderNode(String(v.id), first, after) };
      }
      case "fulfillmentOrderMove":
        return { fulfillmentOrderMove: injection?.userErrors ? { movedFulfillmentOrder: null, originalFulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: injection.userErrors } : this.moveFulfillmentOrder(v) };
      case "fulfillmentCreate":
        return { fulfillmentCreate: injection?.userErrors ? { fulfillment: null, userErrors: injection.userErrors } : this.createFulfillment(v.fulfillment as FulfillmentArg) };
      case "fulfillmentTrackingInfoUpdate":
        return { fulfillmentTrackingInfoUpdate: this.updateTracking(v) };
      case "fulfillmentCancel":
        return { fulfillmentCancel: injection?.userErrors ? { fulfillment: null, userErrors: injection.userErrors } : this.cancelFulfillment(String(v.id)) };
      case "fulfillment": {
        const found = this.fulfillments.find((f) => f.id === v.id);
        return { fulfillment: found ? { id: found.id, status: found.status } : null };
      }
      case "inventorySetQuantities":
        return { inventorySetQuantities: injection?.userErrors ? { inventoryAdjustmentGroup: null, userErrors: injection.userErrors } : this.setQuantities(query, v) };
      case "productVariant": {
        const item = this.variants.get(String(v.id));
        return { productVariant: item ? { id: v.id, inventoryItem: { id: item } } : null };
      }
      case "inventoryItems": {
        const m = /sku:"?((?:[^"\\]|\\.)*)"?/.exec(String(v.query ?? ""));
        const sku = m ? m[1].replace(/\\(.)/g, "$1") : "";
        const nodes = [...this.itemSkus].filter(([, s]) => s === sku).map(([id, s]) => ({ id, sku: s }));
        return { inventoryItems: { nodes } };
      }
      case "nodes": {
        const ids = (v.ids as string[]) ?? [];
        const location = String(v.locationId);
        return {
          nodes: ids.map((id) => {
            if (!this.itemSkus.has(id)) return null;
            const qty = this.available(id, location);
            return { id, inventoryLevel: qty === undefined ? null : { quantities: [{ name: "available", quantity: qty }] } };
          }),
        };
      }
    }
  }

  /** The order with its fulfillment orders, a page of `first` after the cursor (a fulfillment order id) as Shopify pages them. */
  private orderNode(orderId: string, first: number | undefined, after: string | null) {
    const fos = [...this.fulfillmentOrders.values()].filter((fo) => fo.orderId === orderId);
    if (!fos.length) return null;
    const start = after ? fos.findIndex((fo) => fo.id === after) + 1 : 0;
    const page = first === undefined ? fos.slice(start) : fos.slice(start, start + first);
    return {
      id: orderId,
      fulfillments: this.fulfillmentsOf(orderId).map((f) => ({ id: f.id, status: f.status, trackingInfo: f.trackingInfo.numbers.map((number) => ({ number })) })),
      fulfillmentOrders: {
        pageInfo: { hasNextPage: start + page.length < fos.length, endCursor: page.length ? page[page.length - 1].id : null },
        nodes: page.map((fo) => this.fulfillmentOrderNode(fo)),
      },
    };
  }

  private fulfillmentOrderNode(fo: FakeFulfillmentOrder) {
    return {
      id: fo.id,
      status: fo.status,
      assignedLocation: { location: { id: fo.locationId } },
      lineItems: { nodes: fo.lineItems.map((li) => ({ id: li.id, remainingQuantity: li.remainingQuantity, totalQuantity: li.totalQuantity, lineItem: { id: li.lineItemId, sku: li.sku } })) },
    };
  }

  /**
   * As Shopify documents fulfillmentOrderMove: a closed fulfillment order cannot move; without
   * fulfillmentOrderLineItems every unfulfilled unit moves. When every unit of the fulfillment order moves and none
   * was fulfilled, the fulfillment order itself is reassigned (moved = original). Otherwise it splits: the moved
   * units go into a new fulfillment order at the new location and the rest stays (fulfilled units never move); an
   * original left with nothing to fulfil is closed.
   */
  private moveFulfillmentOrder(v: Record<string, unknown>) {
    const fail = (field: string[], message: string) => ({ movedFulfillmentOrder: null, originalFulfillmentOrder: null, remainingFulfillmentOrder: null, userErrors: [{ field, message }] });
    const fo = this.fulfillmentOrders.get(String(v.id));
    if (!fo) return fail(["id"], "Fulfillment order does not exist.");
    if (fo.status === "CLOSED") return fail(["id"], "Cannot move a closed fulfillment order.");
    const newLocationId = String(v.newLocationId ?? "");
    if (!newLocationId) return fail(["newLocationId"], "Location does not exist.");
    if (newLocationId === fo.locationId) return fail(["newLocationId"], "Cannot move the fulfillment order to the location it is already assigned to.");
    const asked = (v.fulfillmentOrderLineItems as { id: string; quantity: number }[] | null | undefined) ?? null;
    const wanted = asked?.length ? asked : fo.lineItems.filter((li) => li.remainingQuantity > 0).map((li) => ({ id: li.id, quantity: li.remainingQuantity }));
    const moving = new Map<string, number>();
    for (const w of wanted) {
      const li = fo.lineItems.find((x) => x.id === w.id);
      if (!li) return fail(["fulfillmentOrderLineItems"], `Fulfillment order line item ${w.id} does not belong to ${fo.id}.`);
      const quantity = (moving.get(li.id) ?? 0) + w.quantity;
      if (!(w.quantity > 0) || quantity > li.remainingQuantity) return fail(["fulfillmentOrderLineItems"], "Invalid fulfillment order line item quantity requested.");
      moving.set(li.id, quantity);
    }
    if (!moving.size) return fail(["id"], "The fulfillment order has no unfulfilled line items to move.");

    const whole = fo.lineItems.every((li) => li.remainingQuantity === li.totalQuantity && (moving.get(li.id) ?? 0) === li.totalQuantity);
    if (whole) {
      fo.locationId = newLocationId;
      const node = this.fulfillmentOrderNode(fo);
      return { movedFulfillmentOrder: node, originalFulfillmentOrder: node, remainingFulfillmentOrder: null, userErrors: [] };
    }
    const moved: FakeFulfillmentOrder = { id: this.nextId("FulfillmentOrder"), orderId: fo.orderId, locationId: newLocationId, status: "OPEN", lineItems: [] };
    for (const li of fo.lineItems) {
      const quantity = moving.get(li.id);
      if (!quantity) continue;
      moved.lineItems.push({ id: this.nextId("FulfillmentOrderLineItem"), lineItemId: li.lineItemId, sku: li.sku, totalQuantity: quantity, remainingQuantity: quantity });
      li.totalQuantity -= quantity;
      li.remainingQuantity -= quantity;
    }
    fo.lineItems = fo.lineItems.filter((li) => li.totalQuantity > 0);
    const fulfilledAny = fo.lineItems.some((li) => li.remainingQuantity < li.totalQuantity);
    fo.status = fo.lineItems.every((li) => li.remainingQuantity === 0) ? "CLOSED" : fulfilledAny ? "IN_PROGRESS" : "OPEN";
    this.fulfillmentOrders.set(moved.id, moved);
    return {
      movedFulfillmentOrder: this.fulfillmentOrderNode(moved),
      originalFulfillmentOrder: this.fulfillmentOrderNode(fo),
      remainingFulfillmentOrder: fo.status === "CLOSED" ? null : this.fulfillmentOrderNode(fo),
      userErrors: [],
    };
  }

  private createFulfillment(input: FulfillmentArg) {
    const fail = (message: string) => ({ fulfillment: null, userErrors: [{ field: ["fulfillment"], message }] });
    if (!input || !Array.isArray(input.lineItemsByFulfillmentOrder) || !input.lineItemsByFulfillmentOrder.length) return fail("lineItemsByFulfillmentOrder is required");
    const lines: FakeFulfillment["lines"] = [];
    let orderId: string | undefined;
    let locationId: string | undefined;
    // Validate everything before changing anything: Shopify applies a fulfillment whole or not at all.
    for (const group of input.lineItemsByFulfillmentOrder) {
      const fo = this.fulfillmentOrders.get(group.fulfillmentOrderId);
      if (!fo) return fail(`Fulfillment order ${group.fulfillmentOrderId} does not exist.`);
      if (fo.status === "CLOSED") return fail("Fulfillment order is not in a fulfillable state.");
      if (orderId && fo.orderId !== orderId) return fail("All fulfillment orders must belong to the same order.");
      // One fulfillment ships from one place: Shopify refuses fulfillment orders assigned to different locations.
      if (locationId && fo.locationId !== locationId) return fail("All fulfillment orders must be assigned to the same location.");
      orderId = fo.orderId;
      locationId = fo.locationId;
      const wanted = group.fulfillmentOrderLineItems?.length
        ? group.fulfillmentOrderLineItems
        : fo.lineItems.filter((li) => li.remainingQuantity > 0).map((li) => ({ id: li.id, quantity: li.remainingQuantity }));
      for (const w of wanted) {
        const li = fo.lineItems.find((x) => x.id === w.id);
        if (!li) return fail(`Fulfillment order line item ${w.id} does not belong to ${fo.id}.`);
        const already = lines.filter((l) => l.fulfillmentOrderLineItemId === li.id).reduce((a, l) => a + l.quantity, 0);
        if (!(w.quantity > 0) || w.quantity + already > li.remainingQuantity) return fail("Invalid fulfillment order line item quantity requested.");
        lines.push({ fulfillmentOrderId: fo.id, fulfillmentOrderLineItemId: li.id, lineItemId: li.lineItemId, quantity: w.quantity });
      }
    }
    for (const line of lines) {
      const fo = this.fulfillmentOrders.get(line.fulfillmentOrderId)!;
      fo.lineItems.find((li) => li.id === line.fulfillmentOrderLineItemId)!.remainingQuantity -= line.quantity;
      fo.status = fo.lineItems.every((li) => li.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
    }
    const tracking = input.trackingInfo ?? {};
    const fulfillment: FakeFulfillment = {
      id: this.nextId("Fulfillment"),
      orderId: orderId!,
      status: "SUCCESS",
      lines,
      trackingInfo: { company: tracking.company ?? null, numbers: tracking.numbers ?? (tracking.number ? [tracking.number] : []), urls: tracking.urls ?? (tracking.url ? [tracking.url] : []) },
      notifyCustomer: input.notifyCustomer === true,
      trackingUpdates: [],
    };
    this.fulfillments.push(fulfillment);
    return { fulfillment: { id: fulfillment.id, status: "SUCCESS" }, userErrors: [] };
  }

  /**
   * As Shopify: the cancelled units become fulfillable again. A fulfillment order the fulfillment had closed stays
   * closed and a new open one at the same location takes them; one still in progress gets them back as remaining.
   * A second cancel is refused with a userError (the hub must recognise the state, not depend on the wording).
   */
  private cancelFulfillment(id: string) {
    const fulfillment = this.fulfillments.find((f) => f.id === id);
    if (!fulfillment) return { fulfillment: null, userErrors: [{ field: ["id"], message: "Fulfillment does not exist." }] };
    if (fulfillment.status === "CANCELLED") return { fulfillment: null, userErrors: [{ field: ["id"], message: "Fulfillment has already been cancelled." }] };
    fulfillment.status = "CANCELLED";
    const byOrder = new Map<string, FakeFulfillment["lines"]>();
    for (const line of fulfillment.lines) byOrder.set(line.fulfillmentOrderId, [...(byOrder.get(line.fulfillmentOrderId) ?? []), line]);
    for (const [fulfillmentOrderId, lines] of byOrder) {
      const fo = this.fulfillmentOrders.get(fulfillmentOrderId)!;
      if (fo.status === "CLOSED") {
        const reopened: FakeFulfillmentOrder = { id: this.nextId("FulfillmentOrder"), orderId: fo.orderId, locationId: fo.locationId, status: "OPEN", lineItems: [] };
        for (const line of lines) {
          const sku = fo.lineItems.find((li) => li.id === line.fulfillmentOrderLineItemId)?.sku ?? null;
          reopened.lineItems.push({ id: this.nextId("FulfillmentOrderLineItem"), lineItemId: line.lineItemId, sku, totalQuantity: line.quantity, remainingQuantity: line.quantity });
        }
        this.fulfillmentOrders.set(reopened.id, reopened);
        continue;
      }
      for (const line of lines) fo.lineItems.find((li) => li.id === line.fulfillmentOrderLineItemId)!.remainingQuantity += line.quantity;
      fo.status = fo.lineItems.every((li) => li.remainingQuantity === li.totalQuantity) ? "OPEN" : "IN_PROGRESS";
    }
    return { fulfillment: { id: fulfillment.id, status: fulfillment.status }, userErrors: [] };
  }

  private updateTracking(v: Record<string, unknown>) {
    const fulfillment = this.fulfillments.find((f) => f.id === v.fulfillmentId);
    if (!fulfillment) return { fulfillment: null, userErrors: [{ field: ["fulfillmentId"], message: "Fulfillment does not exist." }] };
    const t = (v.trackingInfoInput ?? {}) as { company?: string; numbers?: string[]; urls?: string[] };
    const update = { company: t.company ?? null, numbers: t.numbers ?? [], urls: t.urls ?? [], notifyCustomer: v.notifyCustomer === true };
    fulfillment.trackingUpdates.push(update);
    fulfillment.trackingInfo = { company: update.company, numbers: update.numbers, urls: update.urls };
    return { fulfillment: { id: fulfillment.id }, userErrors: [] };
  }

  private setQuantities(query: string, v: Record<string, unknown>) {
    const key = /@idempotent\s*\(\s*key\s*:\s*"([^"]+)"\s*\)/.exec(query)?.[1] ?? null;
    const input = (v.input ?? {}) as { name?: string; reason?: string; quantities?: InventorySetCall["quantities"] };
    const call: InventorySetCall = { key, quantities: input.quantities ?? [], outcome: "" };
    this.inventorySets.push(call);
    const fail = (code: string, message: string, fieldPath: string[] = ["input"]) => {
      call.outcome = code;
      const response = { inventoryAdjustmentGroup: null, userErrors: [{ code, field: fieldPath, message }] };
      if (key && code !== "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" && code !== "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED") this.idempotent.set(key, { variables: v, response, failed: true });
      return response;
    };
    // 2026-04: the directive is mandatory for this mutation (the schema cannot say so; the server refuses at run time).
    if (!key) throw new Error("The @idempotent directive is required for inventorySetQuantities.");
    const seen = this.idempotent.get(key);
    if (seen) {
      if (!isDeepStrictEqual(seen.variables, v)) return fail("IDEMPOTENCY_KEY_PARAMETER_MISMATCH", "The same idempotency key cannot be used with different operation parameters.");
      if (seen.failed) return fail("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED", "A previous request with this idempotency key failed. Retry with a new idempotency key.");
      call.outcome = "replayed";
      return seen.response;
    }
    if (input.name !== "available" && input.name !== "on_hand") return fail("INVALID_NAME", "The quantity name must be either 'available' or 'on_hand'.", ["input", "name"]);
    if (!input.reason) return fail("INVALID_REASON", "The reason is required.", ["input", "reason"]);
    for (const [i, q] of call.quantities.entries()) {
      if (!("changeFromQuantity" in q)) return fail("INVALID_INPUT", "changeFromQuantity must be provided (null to skip the check).", ["input", "quantities", String(i), "changeFromQuantity"]);
      const current = this.available(q.inventoryItemId, q.locationId);
      if (current === undefined) return fail("ITEM_NOT_STOCKED_AT_LOCATION", "The specified inventory item is not stocked at the location.", ["input", "quantities", String(i), "locationId"]);
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
        return fail("CHANGE_FROM_QUANTITY_STALE", "The specified compare quantity does not match the current quantity.", ["input", "quantities", String(i), "changeFromQuantity"]);
      }
    }
    for (const q of call.quantities) this.inventory.set(`${q.inventoryItemId}|${q.locationId}`, q.quantity);
    call.outcome = "applied";
    const response = { inventoryAdjustmentGroup: { id: this.nextId("InventoryAdjustmentGroup") }, userErrors: [] };
    this.idempotent.set(key, { variables: v, response, failed: false });
    return response;
  }
}

type FulfillmentArg = {
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] }[];
  trackingInfo?: { company?: string; number?: string; numbers?: string[]; url?: string; urls?: string[] };
  notifyCustomer?: boolean;
};

export async function startFakeShopifyAdmin(options: FakeAdminOptions = {}): Promise<FakeShopifyAdmin> {
  return new FakeShopifyAdmin(options).start();
}
