import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { allocations, orderLines, orders, type NewOrder } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { releaseBackorders } from "./backorders";
import { lockOrder } from "./lock";
import { NO_ELIGIBLE_WAREHOUSE, placeOrder, resolveOrderExceptions, UNMAPPED_SKU } from "./place";
import { loadOrder } from "./present";
import { resolveShippingMethod, resolveSkus } from "./resolve";
import type { AmendOrderInput, OrderObject } from "./schema";
import { releaseOrderStock } from "./stock";

const AMENDABLE = new Set(["received", "backordered", "on_hold"]);

/** The If-Match header's version: `"4"`, `W/"4"` or a bare 4; `*` (any version) checks nothing. */
export function parseIfMatch(header: string | null): string | undefined {
  if (header === null || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"?([^"]*)"?\s*$/.exec(header);
  return match ? match[1] : header;
}

/**
 * Amends an order before the warehouse starts on it (guide: PATCH /orders/{id}). Only the fields sent change;
 * `items` replaces the whole line set and the order's stock is released and reserved again in the same
 * transaction (backordered if it no longer fits, as on create); `ship_to` replaces the whole address. An order
 * on hold for lack of a warehouse is routed again when its lines or address change; one on hold for unmapped
 * SKUs is placed once its lines are replaced by known SKUs; any other hold stays. The version rises by one
 * and partners hear `order.updated`. A body that changes nothing answers the order as it is.
 */
export async function amendOrder(
  db: DbOrTx,
  ctx: DomainContext,
  id: string,
  input: AmendOrderInput,
  options: {
    ifMatch?: string;
    /** Per new item (same index): the channel's own SKU and line id, kept on the line as on create. */
    channelLines?: ({ channelSku?: string | null; channelLineId?: string | null } | undefined)[];
  } = {},
): Promise<OrderObject> {
  if (input.warehouse_id !== undefined) {
    throw new DomainError("warehouse_change_not_allowed", "The warehouse of an order cannot be amended; cancel it and create a new order.", "warehouse_id");
  }
  await inTransaction(db, async (tx) => {
    const order = await lockOrder(tx, ctx, id);
    if (!AMENDABLE.has(order.status)) {
      const message =
        order.status === "cancelled" ? "The order is cancelled; it can no longer be amended." : "The warehouse has started on this order; cancel it to change it.";
      throw new DomainError("too_late_to_amend", message, undefined, { order_status: order.status });
    }
    if (options.ifMatch !== undefined && options.ifMatch !== String(order.version)) {
      throw new DomainError("version_conflict", `The order is at version ${order.version}, not ${options.ifMatch}; read it again and re-apply your change.`, undefined, {
        current_version: String(order.version),
      });
    }

    const changes: Partial<NewOrder> = {};
    const changed: string[] = [];
    if (input.shipping_method_id !== undefined || input.shipping_method !== undefined) {
      const method = await resolveShippingMethod(tx, ctx, input);
      changes.shippingMethodId = method?.id ?? null;
      changed.push("shipping_method_id");
    }
    if (input.ship_to !== undefined) {
      changes.shipTo = input.ship_to;
      changed.push("ship_to");
    }
    const flags = [
      ["signature_required", "signatureRequired"],
      ["insurance", "insurance"],
      ["gift_message", "giftMessage"],
      ["packing_note", "packingNote"],
    ] as const;
    for (const [field, column] of flags) {
      if (input[field] === undefined) continue;
      Object.assign(changes, { [column]: input[field] });
      changed.push(field);
    }
    const skuIds = input.items ? await resolveSkus(tx, ctx, input.items) : null;
    if (input.items) changed.push("items");
    if (!changed.length) return;

    const [updated] = await tx
      .update(orders)
      .set({ ...changes, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id))
      .returning();

    let freed: Awaited<ReturnType<typeof releaseOrderStock>> = [];
    let lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    if (input.items && skuIds) {
      // A partner's PATCH of a channel order does not know the channel's line ids; keep them on lines of the same SKU,
      // or the channel can no longer be told which of its lines shipped.
      const previous = [...lines];
      const channelLines =
        options.channelLines ??
        input.items.map((item) => {
          const match = previous.findIndex((line) => line.sku === item.sku && line.channelLineId);
          if (match < 0) return undefined;
          const [line] = previous.splice(match, 1);
          return { channelSku: line.channelSku, channelLineId: line.channelLineId };
        });
      freed = await releaseOrderStock(tx, ctx, order);
      // Released allocations are history in the ledger; the rows go with the lines they point at.
      await tx.delete(allocations).where(eq(allocations.orderId, order.id));
      await tx.delete(orderLines).where(eq(orderLines.orderId, order.id));
      lines = await tx
        .insert(orderLines)
        .values(
          input.items.map((item, i) => ({
            id: newId("oln"),
            orderId: order.id,
            position: i,
            skuId: skuIds[i],
            sku: item.sku,
            channelSku: channelLines[i]?.channelSku ?? null,
            channelLineId: channelLines[i]?.channelLineId ?? null,
            description: item.description ?? null,
            quantity: item.quantity,
            unitPrice: item.unit_price ?? null,
            currency: item.currency ?? null,
          })),
        )
        .returning();
    }

    await appendOrderEvent(tx, ctx, order.id, {
      type: "amended",
      message: `Order amended: ${changed.join(", ")}.`,
      data: { fields: changed, version: String(updated.version) },
    });

    const linesOrAddress = input.items !== undefined || input.ship_to !== undefined;
    if (order.status !== "on_hold") {
      if (input.items) await placeOrder(tx, ctx, updated, lines, { route: false, bumpVersion: false });
    } else if (order.holdReason === NO_ELIGIBLE_WAREHOUSE && linesOrAddress) {
      await placeOrder(tx, ctx, updated, lines, { route: true, bumpVersion: false });
    } else if (order.holdReason === UNMAPPED_SKU && input.items) {
      // Every new line names a SKU of the account (unknown ones were refused above): the hold has no reason left.
      await resolveOrderExceptions(tx, ctx, order.id, UNMAPPED_SKU, "the lines were amended to known SKUs");
      await placeOrder(tx, ctx, updated, lines, { route: !updated.warehouseId, bumpVersion: false });
    }

    await emitEvent(tx, ctx, "order.updated", await loadOrder(tx, ctx, order.id));
    for (const key of freed) await releaseBackorders(tx, ctx, key);
  });
  return loadOrder(db, ctx, id);
}
