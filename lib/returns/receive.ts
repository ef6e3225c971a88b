import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { returnItems, returns, type ReturnItem } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { emitEvent } from "@/lib/events/outbox";
import { appendOrderEvent } from "@/lib/events/timeline";
import { newId } from "@/lib/ids";
import { recordAdjustment } from "@/lib/inventory/adjustments";
import { lockStock, moveStock } from "@/lib/inventory/stock";
import { releaseBackorders } from "@/lib/orders/backorders";
import { resolveSkus } from "@/lib/orders/resolve";
import { loadReturn } from "./read";
import type { ReturnCondition, ReturnObject } from "./schema";

export type ReceiveReturnInput = {
  returnId: string;
  items: { sku: string; quantity: number; condition?: ReturnCondition }[];
  receivedAt?: Date;
};

const CONDITION_WORDS: Record<ReturnCondition, string> = { resellable: "resellable, back on sale", damaged: "damaged", defective: "defective" };

/**
 * Goods of a return arrived, or were inspected. Honest stock: a unit is sellable again only once someone has
 * looked at it and called it resellable (on_hand grows, an adjustment with reason `returned`). Units not yet
 * inspected are held in quarantine (present, never available); damaged and defective ones are recorded on the
 * return only.
 *
 * On an `expected` return the call is the arrival: items with a condition are inspected on the spot, items
 * without wait. On a `received` return it is the inspection of the waiting units: every item needs a condition
 * and may not exceed what waits. The return is `processed` once nothing waits.
 */
export async function receiveReturn(tx: DbOrTx, ctx: DomainContext, input: ReceiveReturnInput): Promise<ReturnObject> {
  const [ret] = await tx
    .select()
    .from(returns)
    .where(and(eq(returns.id, input.returnId), eq(returns.accountId, ctx.accountId), eq(returns.environment, ctx.environment)))
    .for("update");
  if (!ret) throw new NotFoundError("Return", input.returnId);
  if (ret.status === "processed") throw new ValidationError(`Return ${ret.id} is already processed; report further stock as an inventory adjustment.`);
  const inspecting = ret.status === "received";
  const skuIds = (await resolveSkus(tx, ctx, input.items, "reject")) as string[];
  const rows = await tx.select().from(returnItems).where(eq(returnItems.returnId, ret.id)).orderBy(asc(returnItems.position));
  const waiting = new Map<string, ReturnItem[]>();
  for (const r of rows.filter((r) => r.kind === "received" && r.condition === null)) waiting.set(r.skuId, [...(waiting.get(r.skuId) ?? []), r]);

  if (inspecting) {
    const asked = new Map<string, number>();
    input.items.forEach((item, i) => {
      if (!item.condition) throw new ValidationError(`Return ${ret.id} was already received; give each item's condition to record its inspection.`, `items[${i}].condition`);
      const total = (asked.get(skuIds[i]) ?? 0) + item.quantity;
      const available = (waiting.get(skuIds[i]) ?? []).reduce((s, r) => s + r.quantity, 0);
      if (total > available) throw new ValidationError(`Only ${available} unit(s) of SKU '${item.sku}' are waiting for inspection on return ${ret.id}.`, `items[${i}].quantity`);
      asked.set(skuIds[i], total);
    });
  }

  const warehouseId = ret.warehouseId;
  const receivedAt = input.receivedAt ?? new Date();
  await lockStock(
    tx,
    ctx,
    skuIds.map((skuId) => ({ skuId, warehouseId })),
  );
  let position = rows.length ? Math.max(...rows.map((r) => r.position)) + 1 : 0;
  const movement = { warehouseId, refType: "return", refId: ret.id, occurredAt: receivedAt };
  let restockedAny = false;

  for (const [i, item] of input.items.entries()) {
    const skuId = skuIds[i];
    const restock = item.condition === "resellable";
    if (inspecting) {
      // Take the units out of quarantine; resellable ones go on sale, the others are written off the return.
      let left = item.quantity;
      for (const r of waiting.get(skuId) ?? []) {
        if (!left) break;
        const take = Math.min(left, r.quantity);
        if (take === r.quantity) await tx.delete(returnItems).where(eq(returnItems.id, r.id));
        else await tx.update(returnItems).set({ quantity: sql`${returnItems.quantity} - ${take}`, updatedAt: sql`now()` }).where(eq(returnItems.id, r.id));
        r.quantity -= take;
        left -= take;
      }
      await moveStock(tx, ctx, {
        ...movement,
        skuId,
        kind: restock ? "return_restock" : "return_quarantine",
        reason: restock ? "returned" : `inspected_${item.condition}`,
        delta: { quarantined: -item.quantity, onHand: restock ? item.quantity : 0 },
      });
    } else if (restock) {
      await moveStock(tx, ctx, { ...movement, skuId, kind: "return_restock", reason: "returned", delta: { onHand: item.quantity } });
    } else if (!item.condition) {
      await moveStock(tx, ctx, { ...movement, skuId, kind: "return_quarantine", reason: "awaiting_inspection", delta: { quarantined: item.quantity } });
    }
    if (restock) {
      restockedAny = true;
      await recordAdjustment(tx, ctx, { skuId, sku: item.sku, warehouseId, quantityDelta: item.quantity, reason: "returned", note: `Return ${ret.rma}`, adjustedAt: receivedAt });
    }
    await tx.insert(returnItems).values({
      id: newId("rti"),
      returnId: ret.id,
      kind: "received",
      position: position++,
      skuId,
      sku: item.sku,
      quantity: item.quantity,
      condition: item.condition ?? null,
      restocked: restock,
    });
  }

  const [{ awaiting }] = await tx
    .select({ awaiting: sql<number>`count(*)::int` })
    .from(returnItems)
    .where(and(eq(returnItems.returnId, ret.id), eq(returnItems.kind, "received"), sql`${returnItems.condition} is null`));
  const processed = Number(awaiting) === 0;
  await tx
    .update(returns)
    .set({
      status: processed ? "processed" : "received",
      receivedAt: ret.receivedAt ?? receivedAt,
      processedAt: processed ? receivedAt : null,
      updatedAt: sql`now()`,
    })
    .where(eq(returns.id, ret.id));

  const summary = input.items.map((i) => `${i.quantity} × ${i.sku} ${i.condition ? CONDITION_WORDS[i.condition] : "awaiting inspection"}`).join("; ");
  await appendOrderEvent(tx, ctx, ret.orderId, {
    type: inspecting ? "return_inspected" : "return_received",
    occurredAt: receivedAt,
    message: `Return ${ret.rma} ${inspecting ? "inspected" : "received"}: ${summary}.`,
    data: { return_id: ret.id, rma: ret.rma },
  });
  if (restockedAny) for (const skuId of new Set(skuIds)) await releaseBackorders(tx, ctx, { skuId, warehouseId });
  const presented = await loadReturn(tx, ctx, ret.id);
  await emitEvent(tx, ctx, "return.received", presented);
  return presented;
}
