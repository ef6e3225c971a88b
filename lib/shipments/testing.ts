import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { allocations, inventoryLevels, orderEvents, outboxEvents, shipmentItems, shipmentParcels, shipments, skus } from "@/db/schema";
import { unique, type TestTenant } from "@/e2e/support/factories";
import type { DomainContext } from "@/lib/context";
import { createOrder } from "@/lib/orders/create";
import type { OrderObject } from "@/lib/orders/schema";

/** Test support for the fulfillment flows: orders made the one real way, and what they left in the database. */

export function sandboxCtx(t: TestTenant): DomainContext {
  return { ...t.ctx, source: "sandbox", actor: "test-key" };
}

export async function placeTestOrder(t: TestTenant, items: { sku: string; quantity: number }[], warehouseId = t.warehouses.syd): Promise<OrderObject> {
  const { order } = await createOrder(getDb(), { ...t.ctx, source: "api" }, {
    order_number: unique("SO"),
    reference: unique("REF"),
    warehouse_id: warehouseId,
    shipping_method_id: t.shippingMethods.express,
    ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    items,
  });
  return order;
}

export async function stockOf(t: TestTenant, sku: string, warehouseId = t.warehouses.syd) {
  const [row] = await getDb()
    .select({ onHand: inventoryLevels.onHand, allocated: inventoryLevels.allocated, backordered: inventoryLevels.backordered })
    .from(inventoryLevels)
    .innerJoin(skus, eq(skus.id, inventoryLevels.skuId))
    .where(and(eq(skus.accountId, t.accountId), eq(skus.sku, sku), eq(inventoryLevels.warehouseId, warehouseId)));
  return row;
}

/** Everything a fulfillment transition of this order may have written: compared before/after a refusal. */
export async function footprint(t: TestTenant, orderId: string) {
  const db = getDb();
  const shipmentRows = await db.select().from(shipments).where(eq(shipments.orderId, orderId));
  const ids = shipmentRows.map((s) => s.id);
  const [parcels, items, events, outbox, allocs] = await Promise.all([
    ids.length ? db.select().from(shipmentParcels).where(inArray(shipmentParcels.shipmentId, ids)) : [],
    ids.length ? db.select().from(shipmentItems).where(inArray(shipmentItems.shipmentId, ids)) : [],
    db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)),
    db.select({ id: outboxEvents.id }).from(outboxEvents).where(eq(outboxEvents.accountId, t.accountId)),
    db.select().from(allocations).where(eq(allocations.orderId, orderId)),
  ]);
  return {
    shipments: shipmentRows.map((s) => [s.id, s.status, s.updatedAt.toISOString()]),
    parcels: parcels.length,
    items: items.length,
    events: events.length,
    outbox: outbox.length,
    allocations: allocs.map((a) => [a.id, a.status, a.quantity]),
  };
}

export async function outboxOf(t: TestTenant, type: string) {
  return getDb()
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.accountId, t.accountId), eq(outboxEvents.type, type)))
    .orderBy(outboxEvents.id);
}
