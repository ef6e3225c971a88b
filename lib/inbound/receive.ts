import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { inboundItems, inboundShipments } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { newId } from "@/lib/ids";
import { recordAdjustment } from "@/lib/inventory/adjustments";
import { lockStock, moveStock } from "@/lib/inventory/stock";
import { releaseBackorders } from "@/lib/orders/backorders";
import { resolveSkus } from "@/lib/orders/resolve";
import { loadInbound } from "./read";
import type { InboundObject } from "./schema";

export type ReceiveInboundInput = {
  inboundId: string;
  /** Units received in this receipt, per SKU (receipts add up). */
  items: { sku: string; receivedQuantity: number }[];
  /** Close the ASN: units still missing stop counting as incoming. */
  complete?: boolean;
  receivedAt?: Date;
};

/**
 * Goods arrived against an ASN. In the caller's transaction: received units join on_hand (an adjustment with
 * reason `received` each), the part that was expected leaves `incoming` (never below the open remainder:
 * over-deliveries add stock without touching incoming), backorders waiting on those SKUs are released
 * first-come-first-served, and partners hear inbound.received. The ASN is `received` once every line is in
 * full or the receipt says it is complete, else `partially_received`.
 */
export async function receiveInbound(tx: DbOrTx, ctx: DomainContext, input: ReceiveInboundInput): Promise<InboundObject> {
  const [inbound] = await tx
    .select()
    .from(inboundShipments)
    .where(and(eq(inboundShipments.id, input.inboundId), eq(inboundShipments.accountId, ctx.accountId), eq(inboundShipments.environment, ctx.environment)))
    .for("update");
  if (!inbound) throw new NotFoundError("Inbound shipment", input.inboundId);
  if (inbound.status === "received") {
    throw new ValidationError(`Inbound shipment ${inbound.id} is already closed (received); report further stock as an inventory adjustment.`);
  }
  const skuIds = (await resolveSkus(tx, ctx, input.items, "reject")) as string[];
  const lines = await tx.select().from(inboundItems).where(eq(inboundItems.inboundShipmentId, inbound.id)).orderBy(asc(inboundItems.position));
  const bySku = new Map(lines.map((l) => [l.skuId, l]));
  const warehouseId = inbound.warehouseId;
  const receivedAt = input.receivedAt ?? new Date();

  await lockStock(
    tx,
    ctx,
    [...new Set([...skuIds, ...lines.map((l) => l.skuId)])].map((skuId) => ({ skuId, warehouseId })),
  );
  const after = new Map(lines.map((l) => [l.skuId, { expected: l.expectedQuantity, received: l.receivedQuantity }]));
  let nextPosition = lines.length ? Math.max(...lines.map((l) => l.position)) + 1 : 0;
  for (const [i, item] of input.items.entries()) {
    const skuId = skuIds[i];
    const line = bySku.get(skuId);
    const before = after.get(skuId) ?? { expected: 0, received: 0 };
    const stillExpected = Math.max(0, before.expected - before.received);
    const fromIncoming = Math.min(item.receivedQuantity, stillExpected);
    await moveStock(tx, ctx, {
      skuId,
      warehouseId,
      kind: "receive",
      reason: "received",
      delta: { onHand: item.receivedQuantity, incoming: -fromIncoming },
      refType: "inbound_shipment",
      refId: inbound.id,
      occurredAt: receivedAt,
    });
    await recordAdjustment(tx, ctx, {
      skuId,
      sku: item.sku,
      warehouseId,
      quantityDelta: item.receivedQuantity,
      reason: "received",
      note: `Inbound shipment ${inbound.reference}${line ? "" : " (not on the ASN)"}`,
      adjustedAt: receivedAt,
    });
    if (line) {
      await tx
        .update(inboundItems)
        .set({ receivedQuantity: sql`${inboundItems.receivedQuantity} + ${item.receivedQuantity}`, updatedAt: sql`now()` })
        .where(eq(inboundItems.id, line.id));
    } else {
      // Over-delivery of a SKU the ASN did not list: a line with nothing expected, so the discrepancy shows it.
      await tx.insert(inboundItems).values({
        id: newId("ibi"),
        inboundShipmentId: inbound.id,
        position: nextPosition++,
        skuId,
        sku: item.sku,
        expectedQuantity: 0,
        receivedQuantity: item.receivedQuantity,
      });
    }
    after.set(skuId, { expected: before.expected, received: before.received + item.receivedQuantity });
  }

  const complete = input.complete || [...after.values()].every((l) => l.received >= l.expected);
  if (complete) {
    // Closing short: what never arrived stops being promised as incoming.
    for (const [skuId, l] of after) {
      const missing = l.expected - l.received;
      if (missing > 0) {
        await moveStock(tx, ctx, {
          skuId,
          warehouseId,
          kind: "expect",
          reason: "inbound_closed_short",
          delta: { incoming: -missing },
          refType: "inbound_shipment",
          refId: inbound.id,
          occurredAt: receivedAt,
        });
      }
    }
  }
  await tx
    .update(inboundShipments)
    .set({ status: complete ? "received" : "partially_received", receivedAt, updatedAt: sql`now()` })
    .where(eq(inboundShipments.id, inbound.id));

  for (const skuId of new Set(skuIds)) await releaseBackorders(tx, ctx, { skuId, warehouseId });
  const presented = await loadInbound(tx, ctx, inbound.id);
  await emitEvent(tx, ctx, "inbound.received", presented);
  return presented;
}
