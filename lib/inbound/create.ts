import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundItems, inboundShipments } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { DomainError } from "@/lib/errors";
import type { DomainContext } from "@/lib/context";
import { newId } from "@/lib/ids";
import { lockStock, moveStock } from "@/lib/inventory/stock";
import { requestHash } from "@/lib/orders/request-hash";
import { resolveSkus, resolveWarehouse } from "@/lib/orders/resolve";
import { loadInbound } from "./read";
import type { CreateInboundInput, InboundObject } from "./schema";

/**
 * Registers an ASN. Idempotent on the reference: the same body again returns the first one (created false), a
 * different body under the same reference is 409 duplicate_reference. Every expected unit counts as `incoming`
 * at the warehouse until it is received or the ASN is closed.
 */
export async function createInboundShipment(db: Db, ctx: DomainContext, body: CreateInboundInput): Promise<{ created: boolean; inbound: InboundObject }> {
  const hash = requestHash(body);
  return inTransaction(db, async (tx) => {
    const warehouse = await resolveWarehouse(tx, ctx, body.warehouse_id);
    const skuIds = (await resolveSkus(tx, ctx, body.items, "reject")) as string[];
    const id = newId("ib");
    // The unique index on the reference settles concurrent duplicates: the loser waits, then finds the winner.
    const [inserted] = await tx
      .insert(inboundShipments)
      .values({
        id,
        accountId: ctx.accountId,
        environment: ctx.environment,
        reference: body.reference,
        warehouseId: warehouse.id,
        supplier: body.supplier ?? null,
        expectedAt: body.expected_at ? body.expected_at.slice(0, 10) : null,
        requestHash: hash,
      })
      .onConflictDoNothing({ target: [inboundShipments.accountId, inboundShipments.environment, inboundShipments.reference] })
      .returning({ id: inboundShipments.id });
    if (!inserted) {
      const [existing] = await tx
        .select({ id: inboundShipments.id, requestHash: inboundShipments.requestHash })
        .from(inboundShipments)
        .where(and(eq(inboundShipments.accountId, ctx.accountId), eq(inboundShipments.environment, ctx.environment), eq(inboundShipments.reference, body.reference)));
      if (existing.requestHash !== hash) {
        throw new DomainError("duplicate_reference", `An inbound shipment with reference '${body.reference}' already exists with different content.`, "reference", {
          inbound_shipment_id: existing.id,
        });
      }
      return { created: false, inbound: await loadInbound(tx, ctx, existing.id) };
    }

    await tx.insert(inboundItems).values(
      body.items.map((item, position) => ({
        id: newId("ibi"),
        inboundShipmentId: id,
        position,
        skuId: skuIds[position],
        sku: item.sku,
        expectedQuantity: item.expected_quantity,
      })),
    );
    await lockStock(
      tx,
      ctx,
      skuIds.map((skuId) => ({ skuId, warehouseId: warehouse.id })),
    );
    for (const [position, item] of body.items.entries()) {
      await moveStock(tx, ctx, {
        skuId: skuIds[position],
        warehouseId: warehouse.id,
        kind: "expect",
        reason: "asn",
        delta: { incoming: item.expected_quantity },
        refType: "inbound_shipment",
        refId: id,
      });
    }
    return { created: true, inbound: await loadInbound(tx, ctx, id) };
  });
}
