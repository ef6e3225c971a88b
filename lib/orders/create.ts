import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/statement";
import { operationalExceptions, orders, type Order } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { appendOrderEvents, type TimelineEntry } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { lockStock, type LockedStock } from "@/lib/inventory/stock";
import { boundDuplicateWait, claimKeyStatement, duplicateWait, pointKeyAt, settleClaim, waitingOnDuplicate, type ClaimValues } from "./idempotency";
import { NAMED_WAREHOUSE_RULE, placeOrder, UNMAPPED_SKU, type Placement } from "./place";
import { loadOrder, presentOrder } from "./present";
import { insertOrder, type NewOrderLine } from "./insert";
import { stockKeysOf } from "./stock";
import { requestHash } from "./request-hash";
import { orderReferenceColumns, readOrderReferences, referenceValues, type OrderReferences, type ReferenceValues } from "./resolve";
import type { CreateOrderInput, OrderObject } from "./schema";

export { UNMAPPED_SKU };

export type CreateOrderOptions = {
  /** The Idempotency-Key header, already checked for shape. */
  idempotencyKey?: string;
  /** Where the order came from: "api" (default), "shopify", … */
  channel?: string;
  /** Per body item (same index): the channel's own SKU and line id, kept on the line. */
  channelLines?: ({ channelSku?: string | null; channelLineId?: string | null } | undefined)[];
  /**
   * "reject" (default): one SKU the account does not have → 422 unknown_sku, nothing written.
   * "hold": the order is still created, every line kept (an unknown one without a SKU id), nothing allocated,
   * status on_hold with hold_reason "unmapped_sku" and an exception — for channel orders, which must not be lost.
   */
  unknownSkus?: "reject" | "hold";
  /** What "identical request" compares, when the intake's request is not the body (default: the body's canonical hash). */
  requestHash?: string;
};

export type CreateOrderResult = {
  order: OrderObject;
  /** false: this answered an earlier identical request (Idempotency-Key or reference) — 200 with Idempotent-Replayed. */
  created: boolean;
};

/**
 * The one way an order comes into the hub, whatever the intake (API, Shopify, dashboard). In ONE transaction:
 * dedup (Idempotency-Key, then reference), validation, the order and its lines, routing, stock reservation or
 * backorder, timeline and exceptions.
 *
 * Dedup leans on the unique indexes, never on check-then-insert: a duplicate's insert waits on the first
 * request's uncommitted index entry until it commits (then conflicts and is answered as a replay) or aborts
 * (then proceeds as the creator). So any number of concurrent duplicates make exactly one order.
 */
export async function createOrder(db: DbOrTx, ctx: DomainContext, body: CreateOrderInput, options: CreateOrderOptions = {}): Promise<CreateOrderResult> {
  const hash = options.requestHash ?? requestHash(body);
  const key = options.idempotencyKey;
  const outcome = await inTransaction(db, async (tx): Promise<{ replayOf: string } | { order: OrderObject }> => {
    const orderId = newId("ord");
    // Both dedup doors (key, then reference) may wait on a concurrent duplicate; the wait is bounded once for both.
    type Door = { replayOf: string } | { order: Order; references: OrderReferences; locked?: Promise<Map<string, LockedStock>> };
    let lines: NewOrderLine[] = [];
    const door = await waitingOnDuplicate(tx, async (): Promise<Door> => {
      // One statement opens the door: it bounds the wait, claims the key (which may wait on a duplicate) and looks
      // up everything the body names. The bound is evaluated first (the claim and the select read from it).
      const lookup = { ...referenceValues(ctx, body), waitBound: duplicateWait() };
      const claimInput = key ? { key, requestHash: hash, orderId } : undefined;
      const [row] = claimInput
        ? await openDoorClaiming(tx, { ...lookup, ...claimInput, keyId: newId("idk") })
        : await openDoor(tx, lookup);
      if (claimInput) {
        const claim = await settleClaim(tx, ctx, claimInput, row.claimed);
        if (!claim.claimed) return { replayOf: claim.orderId };
      }
      // A replay is answered above, before any lookup error.
      const references = readOrderReferences(row, body, options.unknownSkus === "hold" ? "keep" : "reject");
      lines = body.items.map((item, i) => ({
        id: newId("oln"),
        orderId,
        position: i,
        skuId: references.skuIds[i],
        sku: item.sku,
        channelSku: options.channelLines?.[i]?.channelSku ?? null,
        channelLineId: options.channelLines?.[i]?.channelLineId ?? null,
        description: item.description ?? null,
        quantity: item.quantity,
        unitPrice: item.unit_price ?? null,
        currency: item.currency ?? null,
      }));

      const inserting = insertOrder(
        tx,
        {
          id: orderId,
          accountId: ctx.accountId,
          environment: ctx.environment,
          orderNumber: body.order_number,
          reference: body.reference,
          channel: options.channel ?? "api",
          // Provisional: placement below decides received / backordered / on_hold in this same transaction.
          status: "received",
          holdReason: null,
          warehouseId: references.warehouse?.id ?? null,
          shippingMethodId: references.method?.id ?? null,
          orderDate: body.order_date ? new Date(body.order_date) : new Date(),
          shipTo: body.ship_to,
          signatureRequired: body.signature_required ?? false,
          insurance: body.insurance ?? false,
          giftMessage: body.gift_message ?? null,
          packingNote: body.packing_note ?? null,
          tags: body.tags ?? [],
          requestHash: hash,
        },
        lines,
      );
      // An order naming its warehouse locks its stock rows in the round trip that inserts it. Awaited outside this
      // door: a lock timeout there is not a duplicate in progress (the wait bound also covers it: no order waits on
      // stock rows for longer than IDEMPOTENCY_WAIT_MS).
      const warehouseId = references.warehouse?.id;
      const locked = warehouseId && lines.every((l) => l.skuId !== null) ? lockStock(tx, ctx, stockKeysOf(lines, warehouseId)) : undefined;
      locked?.catch(() => undefined);
      const inserted = await inserting;
      if (!inserted) {
        const existing = await findByReference(tx, ctx, body.reference);
        if (existing.requestHash !== hash) {
          throw new DomainError(
            "duplicate_reference",
            `An order with reference '${existing.reference}' already exists with different content. Amend it with PATCH, or use a new reference.`,
            "reference",
            { order_id: existing.id },
          );
        }
        if (key) await pointKeyAt(tx, ctx, key, existing.id);
        return { replayOf: existing.id };
      }
      return { order: inserted, references, locked };
    });
    if ("replayOf" in door) return door;
    const { order, references, locked } = door;
    const { warehouse } = references;

    const units = body.items.reduce((n, i) => n + i.quantity, 0);
    const events: TimelineEntry[] = [
      {
        type: "received",
        status: "received",
        message: `Order ${order.orderNumber} received via ${order.channel} (reference ${order.reference}): ${lines.length} line(s), ${units} unit(s).`,
        occurredAt: order.orderDate,
        data: { reference: order.reference, channel: order.channel, ...(key ? { idempotency_key: key } : {}) },
      },
    ];
    if (warehouse) {
      events.push({
        type: "routed",
        message: `Warehouse ${warehouse.name} named in the order; routing rules not applied.`,
        data: { warehouse_id: warehouse.id, reasons: [{ rule: NAMED_WAREHOUSE_RULE, rule_id: null, warehouse_id: warehouse.id, result: "matched", why: "warehouse_id given" }] },
      });
    }
    const unmapped = lines.filter((l) => l.skuId === null).map((l) => l.sku);
    const placement = unmapped.length
      ? await holdUnmapped(tx, ctx, order, unmapped, events)
      : await placeOrder(tx, ctx, order, lines, { route: !warehouse, bumpVersion: false, events, warehouseName: warehouse?.name, locked });
    // The new order as the API shows it, from the rows in hand (a new order has no shipments).
    return { order: presentOrder({ ...order, ...placement }, lines.map((l) => ({ ...l, quantityShipped: 0 })), []) };
  });
  if ("replayOf" in outcome) return { order: await loadOrder(db, ctx, outcome.replayOf), created: false };
  return { order: outcome.order, created: true };
}

type DoorRow = { claimed: boolean; skus: unknown; warehouse: unknown; method: unknown };
const openDoor = statement<ReferenceValues & { waitBound: string }, DoorRow>(
  (p) => sql`with bound as materialized (${boundDuplicateWait(p)}) select true as claimed, ${orderReferenceColumns(p)} from bound`,
);
const openDoorClaiming = statement<ReferenceValues & ClaimValues & { waitBound: string }, DoorRow>(
  (p) => sql`with bound as materialized (${boundDuplicateWait(p)}), claim as (${claimKeyStatement(p)})
             select exists (select 1 from claim) as claimed, ${orderReferenceColumns(p)} from bound`,
);

async function findByReference(tx: DbOrTx, ctx: DomainContext, reference: string): Promise<Order> {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.accountId, ctx.accountId), eq(orders.environment, ctx.environment), eq(orders.reference, reference)));
  if (!row) throw new DomainError("idempotency_in_progress", "An order with this reference is being created; retry in a moment.");
  return row;
}

async function holdUnmapped(tx: DbOrTx, ctx: DomainContext, order: Order, skus: string[], events: TimelineEntry[]): Promise<Placement> {
  const message = `On hold: no SKU mapping for ${skus.join(", ")}. Add the mapping to release it.`;
  await Promise.all([
    tx.update(orders).set({ status: "on_hold", holdReason: UNMAPPED_SKU }).where(eq(orders.id, order.id)),
    appendOrderEvents(tx, ctx, order.id, [...events, { type: "on_hold", status: "on_hold", message, data: { hold_reason: UNMAPPED_SKU, skus } }]),
    tx.insert(operationalExceptions).values({
      id: newId("exc"),
      accountId: ctx.accountId,
      environment: ctx.environment,
      kind: UNMAPPED_SKU,
      orderId: order.id,
      message: `Order ${order.orderNumber}: ${message}`,
      data: { skus },
    }),
  ]);
  return { status: "on_hold", warehouseId: order.warehouseId, holdReason: UNMAPPED_SKU };
}
