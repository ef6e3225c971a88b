import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { operationalExceptions, orders, warehouses, type Order, type OrderLine } from "@/db/schema";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { describeDecision, routeOrder, type RoutingInput, type RoutingReason } from "@/lib/routing/engine";
import { loadRoutingFacts } from "@/lib/routing/facts";
import { reserveOrder } from "./stock";

/** hold_reason values set by the hub. */
export const NO_ELIGIBLE_WAREHOUSE = "no_eligible_warehouse";
export const UNMAPPED_SKU = "unmapped_sku";

export type Placement = { status: "received" | "backordered" | "on_hold"; warehouseId: string | null; holdReason: string | null };

export function routingInputOf(order: Pick<Order, "shipTo" | "tags">, lines: OrderLine[]): RoutingInput {
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
async function routeAndReserve(tx: DbOrTx, ctx: DomainContext, order: Order, lines: OrderLine[]) {
  const input = routingInputOf(order, lines);
  const facts = await loadRoutingFacts(tx, ctx, [...new Set(input.lines.map((l) => l.skuId))]);
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
 * `bumpVersion` for an existing order whose representation changes (not for a fresh create).
 */
export async function placeOrder(
  tx: DbOrTx,
  ctx: DomainContext,
  order: Order,
  lines: OrderLine[],
  options: { route: boolean; bumpVersion: boolean },
): Promise<Placement> {
  let placement: Placement;
  let names: Map<string, string>;
  let short: { skuId: string; needed: number; available: number }[] = [];
  if (!options.route && order.warehouseId) {
    // Looked up before the stock lock: the time between locking and commit is what concurrent orders queue on.
    names = await warehouseNames(tx, [order.warehouseId]);
    const reservation = await reserveOrder(tx, ctx, order.id, lines, order.warehouseId, { onShort: "backorder" });
    if (reservation.status === "backordered") short = reservation.short;
    placement = { status: reservation.status, warehouseId: order.warehouseId, holdReason: null };
  } else {
    const routed = await routeAndReserve(tx, ctx, order, lines);
    const { decision, reservation } = routed;
    names = routed.names;
    await appendOrderEvent(tx, ctx, order.id, {
      type: decision.warehouseId ? "routed" : "routing_failed",
      message: describeDecision(decision, names),
      data: { warehouse_id: decision.warehouseId, reasons: decision.reasons },
    });
    placement = reservation
      ? { status: "received", warehouseId: decision.warehouseId, holdReason: null }
      : { status: "on_hold", warehouseId: null, holdReason: NO_ELIGIBLE_WAREHOUSE };
    if (!reservation) await raiseNoWarehouse(tx, ctx, order, `Order ${order.orderNumber} has no eligible warehouse: ${describeDecision(decision, names)}`, decision.reasons);
  }

  await tx
    .update(orders)
    .set({
      status: placement.status,
      warehouseId: placement.warehouseId,
      holdReason: placement.holdReason,
      ...(options.bumpVersion ? { version: sql`${orders.version} + 1` } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(orders.id, order.id));

  const name = placement.warehouseId ? (names.get(placement.warehouseId) ?? placement.warehouseId) : "";
  // Only an order that was on hold can have a routing exception open.
  const wasHeld = order.status === "on_hold";
  if (placement.status === "received") {
    await appendOrderEvent(tx, ctx, order.id, { type: "allocated", status: "received", message: `Stock reserved at ${name} for every line.` });
    if (wasHeld) await resolveOrderExceptions(tx, ctx, order.id, NO_ELIGIBLE_WAREHOUSE, "a warehouse was found");
  } else if (placement.status === "backordered") {
    const skuOf = new Map(lines.map((l) => [l.skuId, l.sku]));
    const detail = short.map((s) => `${skuOf.get(s.skuId)} (needs ${s.needed}, ${s.available} available)`).join(", ");
    await appendOrderEvent(tx, ctx, order.id, {
      type: "backordered",
      status: "backordered",
      message: `Backordered at ${name}: not enough stock for ${detail}. It will be allocated first-come-first-served when stock arrives.`,
      data: { short },
    });
    if (wasHeld) await resolveOrderExceptions(tx, ctx, order.id, NO_ELIGIBLE_WAREHOUSE, "a warehouse was found");
  } else {
    await appendOrderEvent(tx, ctx, order.id, { type: "on_hold", status: "on_hold", message: "On hold: no warehouse can fulfil this order.", data: { hold_reason: placement.holdReason } });
  }
  return placement;
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
