import { and, eq, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { inventoryLevels, outboxEvents } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { TestTenant } from "@/e2e/support/factories";
import { createApiKey } from "@/lib/auth/api-keys";
import { createOrder } from "@/lib/orders/create";
import type { OrderObject } from "@/lib/orders/schema";
import { createShipment } from "@/lib/shipments/ship";

/** Test helpers of the warehouse side: orders in a given state, stock numbers, outbox reads. */

let n = 0;

export async function placeTestOrder(t: TestTenant, items: { sku: string; quantity: number }[], warehouseId = t.warehouses.syd): Promise<OrderObject> {
  n += 1;
  const { order } = await createOrder(getDb(), t.ctx, {
    order_number: `SO-${n}`,
    reference: `REF-${Date.now().toString(36)}-${n}-${Math.random().toString(36).slice(2, 8)}`,
    warehouse_id: warehouseId,
    shipping_method_id: t.shippingMethods.express,
    ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    items,
  });
  return order;
}

/** An order whose every unit shipped in one parcel. */
export async function shippedTestOrder(t: TestTenant, items: { sku: string; quantity: number }[]) {
  const order = await placeTestOrder(t, items);
  const { shipment } = await inTransaction(getDb(), (tx) => createShipment(tx, t.ctx, { orderId: order.id }));
  return { order, shipment };
}

export async function stockOf(skuId: string, warehouseId: string) {
  const [row] = await getDb()
    .select()
    .from(inventoryLevels)
    .where(and(eq(inventoryLevels.skuId, skuId), eq(inventoryLevels.warehouseId, warehouseId)));
  return row ?? { onHand: 0, allocated: 0, incoming: 0, backordered: 0, quarantined: 0 };
}

export async function outboxTypes(t: Pick<TestTenant, "accountId">): Promise<string[]> {
  const rows = await getDb().select({ type: outboxEvents.type }).from(outboxEvents).where(eq(outboxEvents.accountId, t.accountId)).orderBy(outboxEvents.createdAt, outboxEvents.id);
  return rows.map((r) => r.type);
}

/** Rows of a table belonging to the account: "nothing written" checks. */
export async function countRows(table: string, accountId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from ${sql.identifier(table)} where account_id = ${accountId}`);
  return Number(row.n);
}

/** A second key of the tenant with another role (a warehouse key next to the partner key, or the reverse). */
export async function keyWithRole(t: TestTenant, role: "partner" | "warehouse", environment = t.environment): Promise<string> {
  return (await createApiKey(getDb(), { accountId: t.accountId, environment, role })).key;
}

/**
 * Lists are commit-safe: rows newer than the start of any transaction still open in the database are held back
 * until it ends, and other test files' transactions share the database. Re-reads until ready() holds (or ~10 s).
 */
export async function settled<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ready(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
