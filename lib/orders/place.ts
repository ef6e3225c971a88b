import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { operationalExceptions, orders, warehouses, type Order, type OrderLine } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvent, orderEventsInsert, timelineValues, type TimelineEntry, type TimelineValues } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { describeDecision, routeOrder, type RoutingInput, type RoutingReason } from "@/lib/routing/engine";
import { loadRoutingFacts } from "@/lib/routing/facts";
import { reserveOrder } from "./stock";
import type { LockedStock } from "@/lib/inventory/stock";

/** hold_reason values set by the hub. */
export const NO_ELIGIBLE_WAREHOUSE = "no_eligible_warehouse";
export const UNMAPPED_SKU = "unmapped_sku";
/** The routing reason's rule when the partner named the warehouse: routing rules were not applied. */
export const NAMED_WAREHOUSE_RULE = "order";

/** What placing an order needs of its lines (stored, or being stored by the same transaction). */
export type PlacedLine = Pick<OrderLine, "id" | "skuId" | "sku" | "quantity" | "unitPrice">;

export type Placement = { status: "received" | "backordered" | "on_hold"; warehouseId: string | null; holdReason: string | null };

export function routingInputOf(order: Pick<Order, "shipTo" | "tags">, lines: PlacedLine[]): RoutingInput {
  return {
    country: order.shipTo.country,
    state: order.shipTo.state ?? null,
    tags: order.tags,
    lines: lines.filter((l) => l.skuId !== null).map((l) => ({ skuId: l.skuId as string, sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
  };
}

async function warehouseNames(tx: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await tx.select({ id: warehouses.id, name: warehouses.name }).from(warehouses).where(inArray(warehouses.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Chooses a warehouse with the routing rules and reserves the order there, all-or-nothing. Routing reads
 * stock without locks; the reservation locks and re-checks, and when another order took the units in
 * between, that warehouse is marked short and routing runs again on what is now known.
 */
async function routeAndReserve(tx: DbOrTx, ctx: DomainContext, order: Order, lines: PlacedLine[], ruledOut?: { warehouseId: string; why: string }) {
  const input = routingInputOf(order, lines);
  const facts = await loadRoutingFacts(tx, ctx, [...new Set(input.lines.map((l) => l.skuId))]);
  const excluded = ruledOut && facts.warehouses.find((w) => w.id === ruledOut.warehouseId);
  if (excluded) excluded.ruledOut = ruledOut.why;
  const reasons: RoutingReason[] = [];
  const names = new Map(facts.warehouses.map((w) => [w.id, w.name]));
  for (let attempt = 0; attempt <= facts.warehouses.length; attempt++) {
    const decision = routeOrder(input, facts);
    if (!decision.warehouseId) return { decision: { warehouseId: null, reasons: [...reasons, ...decision.reasons] }, reservation: null, names };
    const reservation = await reserveOrder(tx, ctx, order.id, lines, decision.warehouseId, { onShort: "none" });
    if (reservation.status === "received") return { decision: { warehouseId: decision.warehouseId, reasons: [...reasons, ...decision.reasons] }, reservation, names };
    const chosen = facts.warehouses.find((w) => w.id === decision.warehouseId);
    for (const s of reservation.short) if (chosen) chosen.available[s.skuId] = s.available;
    reasons.push({ rule: "stock", rule_id: null, warehouse_id: decision.warehouseId, result: "skipped", why: "its stock was taken by another order while routing" });
  }
  return { decision: { warehouseId: null, reasons }, reservation: null, names };
}

/**
 * Decides how an order whose lines are stored (and hold no stock) is fulfilled: at its given warehouse, or at
 * the one routing chooses; then reserves stock (received) or counts it as backordered; with no eligible
 * warehouse the order goes on hold and an exception is raised. Updates the order row and its timeline.
 * `bumpVersion` for an existing order whose representation changes (not for a fresh create); `events`: timeline
 * entries of the caller that precede the placement's own, written with them in one statement.
 */
export async function placeOrder(
  tx: DbOrTx,
  ctx: DomainContext,
  order: Order,
  lines: PlacedLine[],
  options: {
    route: boolean;
    bumpVersion: boolean;
    events?: TimelineEntry[];
    warehouseName?: string;
    /** The order's stock rows at its warehouse, already being locked by the caller (see reserveOrder). */
    locked?: Promise<Map<string, LockedStock>>;
  },
): Promise<Placement> {
  const events = [...(options.events ?? [])];
  let placement: Placement;
  if (!options.route && order.warehouseId) {
    const warehouseId = order.warehouseId;
    // Looked up before the stock lock: the time between locking and commit is what concurrent orders queue on.
    const names = options.warehouseName !== undefined ? new Map([[warehouseId, options.warehouseName]]) : await warehouseNames(tx, [warehouseId]);
    const reservation = await reserveOrder(tx, ctx, order.id, lines, warehouseId, {
      onShort: "backorder",
      locked: options.locked,
      // Recorded in the round trip that moves the stock: one fewer while the stock rows are locked.
      alongside: (reserved) =>
        recordPlacement(tx, ctx, order, lines, { status: reserved.status, warehouseId, holdReason: null }, names, reserved.status === "backordered" ? reserved.short : [], events, options.bumpVersion),
    });
    placement = { status: reservation.status, warehouseId, holdReason: null };
  } else {
    const routed = await routeAndReserve(tx, ctx, order, lines);
    const { decision, reservation, names } = routed;
    events.push({
      type: decision.warehouseId ? "routed" : "routing_failed",
      message: describeDecision(decision, names),
      data: { warehouse_id: decision.warehouseId, reasons: decision.reasons },
    });
    placement = reservation
      ? { status: "received", warehouseId: decision.warehouseId, holdReason: null }
      : { status: "on_hold", warehouseId: null, holdReason: NO_ELIGIBLE_WAREHOUSE };
    if (!reservation) await raiseNoWarehouse(tx, ctx, order, `Order ${order.orderNumber} has no eligible warehouse: ${describeDecision(decision, names)}`, decision.reasons);
    await recordPlacement(tx, ctx, order, lines, placement, names, [], events, options.bumpVersion);
  }
  // Only an order that was on hold can have a routing exception open.
  if (order.status === "on_hold" && placement.status !== "on_hold") {
    await resolveOrderExceptions(tx, ctx, order.id, NO_ELIGIBLE_WAREHOUSE, "a warehouse was found");
  }
  return placement;
}

/**
 * Routes an order that holds no stock again, away from the warehouse that just took its stock back (a count
 * below what was allocated), for a flow that keeps the order where it is when no other warehouse can take it.
 * Placed and recorded like a routed create (the caller's timeline entries first, version bumped), or nothing
 * written. Returns the warehouse it went to (null: it stays) and the routing decision in words.
 */
export async function rerouteOrder(
  tx: DbOrTx,
  ctx: DomainContext,
  order: Order,
  lines: PlacedLine[],
  options: { leaving: { warehouseId: string; why: string }; events: TimelineEntry[] },
): Promise<{ warehouseId: string | null; warehouseName: string | null; decision: string }> {
  const { decision, reservation, names } = await routeAndReserve(tx, ctx, order, lines, options.leaving);
  const described = describeDecision(decision, names);
  if (!reservation || !decision.warehouseId) return { warehouseId: null, warehouseName: null, decision: described };
  const placement: Placement = { status: "received", warehouseId: decision.warehouseId, holdReason: null };
  const routed: TimelineEntry = { type: "routed", message: described, data: { warehouse_id: decision.warehouseId, reasons: decision.reasons } };
  await recordPlacement(tx, ctx, order, lines, placement, names, [], [...options.events, routed], true);
  return { warehouseId: decision.warehouseId, warehouseName: names.get(decision.warehouseId) ?? decision.warehouseId, decision: described };
}

const placementStatement = statement<TimelineValues & Placement & { bump: number }>(
  (p) => sql`
    with placed as (
      update ${orders} set status = ${p.status}::order_status, warehouse_id = ${p.warehouseId}::text,
                           hold_reason = ${p.holdReason}::text, version = version + ${p.bump}::int, updated_at = now()
       where id = ${p.orderId}
    )
    ${orderEventsInsert(p)}`,
);

/** One statement: the order's new state and the timeline entries that tell it (the caller's first). */
function recordPlacement(
  tx: DbOrTx,
  ctx: DomainContext,
  order: Order,
  lines: PlacedLine[],
  placement: Placement,
  names: Map<string, string>,
  short: { skuId: string; needed: number; available: number }[],
  leading: TimelineEntry[],
  bumpVersion: boolean,
): Promise<unknown> {
  const events = [...leading];
  const name = placement.warehouseId ? (names.get(placement.warehouseId) ?? placement.warehouseId) : "";
  if (placement.status === "received") {
    events.push({ type: "allocated", status: "received", message: `Stock reserved at ${name} for every line.` });
  } else if (placement.status === "backordered") {
    const skuOf = new Map(lines.map((l) => [l.skuId, l.sku]));
    const detail = short.map((s) => `${skuOf.get(s.skuId)} (needs ${s.needed}, ${s.available} available)`).join(", ");
    events.push({
      type: "backordered",
      status: "backordered",
      message: `Backordered at ${name}: not enough stock for ${detail}. It will be allocated first-come-first-served when stock arrives.`,
      data: { short },
    });
  } else {
    events.push({ type: "on_hold", status: "on_hold", message: "On hold: no warehouse can fulfil this order.", data: { hold_reason: placement.holdReason } });
  }
  return placementStatement(tx, { ...timelineValues(ctx, order.id, events), ...placement, bump: bumpVersion ? 1 : 0 });
}

/** Closes the order's open exceptions of one kind, with a timeline entry saying why. */
export async function resolveOrderExceptions(tx: DbOrTx, ctx: DomainContext, orderId: string, kind: string, why: string): Promise<void> {
  const resolved = await tx
    .update(operationalExceptions)
    .set({ status: "resolved", resolvedAt: sql`now()`, resolvedBy: ctx.actor })
    .where(and(eq(operationalExceptions.orderId, orderId), eq(operationalExceptions.kind, kind), eq(operationalExceptions.status, "open")))
    .returning({ id: operationalExceptions.id });
  if (resolved.length) {
    await appendOrderEvent(tx, ctx, orderId, { type: "exception_resolved", message: `Exception ${kind} resolved: ${why}.`, data: { kind, exception_ids: resolved.map((r) => r.id) } });
  }
}

/** One open exception per held order: a re-routing that fails again refreshes it instead of adding another. */
async function raiseNoWarehouse(tx: DbOrTx, ctx: DomainContext, order: Order, message: string, reasons: RoutingReason[]): Promise<void> {
  const refreshed = await tx
    .update(operationalExceptions)
    .set({ message, data: { reasons } })
    .where(and(eq(operationalExceptions.orderId, order.id), eq(operationalExceptions.kind, NO_ELIGIBLE_WAREHOUSE), eq(operationalExceptions.status, "open")))
    .returning({ id: operationalExceptions.id });
  if (refreshed.length) return;
  await tx.insert(operationalExceptions).values({
    id: newId("exc"),
    accountId: ctx.accountId,
    environment: ctx.environment,
    kind: NO_ELIGIBLE_WAREHOUSE,
    orderId: order.id,
    message,
    data: { reasons },
  });
}
