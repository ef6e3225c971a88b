import { and, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { getDb, queryRows } from "@/db/client";
import { inventoryLevels, skus } from "@/db/schema";
import type { call } from "@/e2e/support/route-calls";
import { unique, type TestTenant } from "@/e2e/support/factories";
import type { CreateOrderInput } from "./schema";

/** Test support for the orders domain. */

export function orderBody(t: TestTenant, overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  return {
    order_number: unique("SO"),
    reference: unique("REF"),
    warehouse_id: t.warehouses.syd,
    shipping_method_id: t.shippingMethods.express,
    ship_to: { name: "Jane Doe", address1: "1 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
    items: [{ sku: "WIDGET", quantity: 2, unit_price: "19.99", currency: "AUD" }],
    ...overrides,
  };
}

export type Response = Awaited<ReturnType<typeof call>>;

/** The error envelope: status, code, field (when given; `null` = must be absent), request id equal to the header. */
export function expectError(res: Response, status: number, code: string, field?: string | null) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.request_id).toBeTruthy();
  expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
  if (field === null) expect(res.body.error.field).toBeUndefined();
  else if (field !== undefined) expect(res.body.error.field).toBe(field);
}

/**
 * Row counts of everything an order flow can write for a tenant (orders, lines, allocations, timeline,
 * idempotency keys, exceptions, outbox, stock ledger): equal before and after = nothing was written.
 */
export async function footprint(t: Pick<TestTenant, "accountId" | "environment">) {
  const [row] = await queryRows<Record<string, number>>(
    getDb(),
    sql`select
      (select count(*)::int from orders where account_id = ${t.accountId}) as orders,
      (select count(*)::int from order_lines l join orders o on o.id = l.order_id where o.account_id = ${t.accountId}) as lines,
      (select count(*)::int from allocations a join orders o on o.id = a.order_id where o.account_id = ${t.accountId}) as allocations,
      (select count(*)::int from order_events where account_id = ${t.accountId}) as events,
      (select count(*)::int from idempotency_keys where account_id = ${t.accountId}) as keys,
      (select count(*)::int from operational_exceptions where account_id = ${t.accountId}) as exceptions,
      (select count(*)::int from outbox_events where account_id = ${t.accountId}) as outbox,
      (select count(*)::int from inventory_ledger where account_id = ${t.accountId}) as ledger,
      (select coalesce(sum(allocated + backordered), 0)::int from inventory_levels where account_id = ${t.accountId}) as reserved`,
  );
  return row;
}

/** The stock row of a SKU (by code) at a warehouse. */
export async function stock(t: Pick<TestTenant, "accountId" | "environment">, sku: string, warehouseId: string) {
  const [row] = await getDb()
    .select({ onHand: inventoryLevels.onHand, allocated: inventoryLevels.allocated, backordered: inventoryLevels.backordered })
    .from(inventoryLevels)
    .innerJoin(skus, eq(skus.id, inventoryLevels.skuId))
    .where(and(eq(skus.accountId, t.accountId), eq(skus.environment, t.environment), eq(skus.sku, sku), eq(inventoryLevels.warehouseId, warehouseId)));
  return row;
}


