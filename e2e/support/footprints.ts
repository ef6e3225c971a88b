import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { allocations, orderEvents, outboxEvents, shipmentItems, shipmentParcels, shipments } from "@/db/schema";
import type { TestTenant } from "./factories";

/** What a flow left in the database: counted before and after a refusal ("nothing written"), or read back. */

/**
 * Row counts of everything an order flow can write for a tenant (orders, lines, allocations, timeline,
 * idempotency keys, exceptions, outbox, stock ledger): equal before and after = nothing was written.
 */
export async function orderFootprint(t: Pick<TestTenant, "accountId" | "environment">) {
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

/** Everything a fulfillment transition of this order may have written: compared before/after a refusal. */
export async function fulfillmentFootprint(t: TestTenant, orderId: string) {
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

/** Rows of a table belonging to the account: "nothing written" checks. */
export async function countRows(table: string, accountId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from ${sql.identifier(table)} where account_id = ${accountId}`);
  return Number(row.n);
}

/** The tenant's outbox rows of one event type, oldest first. */
export async function outboxOf(t: Pick<TestTenant, "accountId">, type: string) {
  return getDb()
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.accountId, t.accountId), eq(outboxEvents.type, type)))
    .orderBy(outboxEvents.id);
}

/** The types of the tenant's outbox rows, in the order they were written. */
export async function outboxTypes(t: Pick<TestTenant, "accountId">): Promise<string[]> {
  const rows = await getDb().select({ type: outboxEvents.type }).from(outboxEvents).where(eq(outboxEvents.accountId, t.accountId)).orderBy(outboxEvents.createdAt, outboxEvents.id);
  return rows.map((r) => r.type);
}
