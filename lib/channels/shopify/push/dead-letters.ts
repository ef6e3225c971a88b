import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, shipments, shopConnections, shopifyFulfillmentPushes, shopifyInventoryPushes, skus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { resolveOrderExceptions } from "@/lib/orders/place";
import { appendOrderEvent } from "@/lib/events/timeline";
import type { DomainContext } from "@/lib/context";
import { PUSH_FAILED_EXCEPTION } from "./fulfillment";

export type DeadPush = {
  kind: "fulfillment" | "inventory";
  id: string;
  accountName: string;
  environment: string;
  shopDomain: string;
  /** What it was about: the shipment (and order) or the SKU at a location. */
  subject: string;
  orderId: string | null;
  attempts: number;
  lastError: string | null;
  lastErrorKind: string | null;
  deadAt: Date | null;
};

/** Every push that gave up, newest first, for the channel failures page (ops see all accounts). */
export async function listDeadPushes(db: DbOrTx, limit = 200): Promise<DeadPush[]> {
  const f = shopifyFulfillmentPushes;
  const fulfillments = await db
    .select({ id: f.id, accountName: accounts.name, environment: f.environment, shopDomain: shopConnections.shopDomain, shipmentId: f.shipmentId, orderId: f.orderId, hasFulfillment: sql<boolean>`${f.shopifyFulfillmentId} is not null`, voided: shipments.voided, attempts: f.attempts, lastError: f.lastError, lastErrorKind: f.lastErrorKind, deadAt: f.deadAt })
    .from(f)
    .innerJoin(accounts, eq(accounts.id, f.accountId))
    .innerJoin(shopConnections, eq(shopConnections.id, f.connectionId))
    .innerJoin(shipments, eq(shipments.id, f.shipmentId))
    .where(eq(f.state, "dead"))
    .orderBy(desc(f.deadAt))
    .limit(limit);
  const i = shopifyInventoryPushes;
  const inventory = await db
    .select({ id: i.id, accountName: accounts.name, environment: i.environment, shopDomain: shopConnections.shopDomain, sku: skus.sku, locationGid: i.locationGid, attempts: i.attempts, lastError: i.lastError, lastErrorKind: i.lastErrorKind, deadAt: i.deadAt })
    .from(i)
    .innerJoin(accounts, eq(accounts.id, i.accountId))
    .innerJoin(shopConnections, eq(shopConnections.id, i.connectionId))
    .innerJoin(skus, eq(skus.id, i.skuId))
    .where(eq(i.state, "dead"))
    .orderBy(desc(i.deadAt))
    .limit(limit);
  const rows: DeadPush[] = [
    ...fulfillments.map((r) => ({
      kind: "fulfillment" as const,
      id: r.id,
      accountName: r.accountName,
      environment: r.environment,
      shopDomain: r.shopDomain,
      subject: `${r.voided ? "Cancellation of the fulfillment" : r.hasFulfillment ? "Tracking update" : "Fulfillment"} for shipment ${r.shipmentId}`,
      orderId: r.orderId,
      attempts: r.attempts,
      lastError: r.lastError,
      lastErrorKind: r.lastErrorKind,
      deadAt: r.deadAt,
    })),
    ...inventory.map((r) => ({
      kind: "inventory" as const,
      id: r.id,
      accountName: r.accountName,
      environment: r.environment,
      shopDomain: r.shopDomain,
      subject: `Inventory of ${r.sku} at ${r.locationGid}`,
      orderId: null,
      attempts: r.attempts,
      lastError: r.lastError,
      lastErrorKind: r.lastErrorKind,
      deadAt: r.deadAt,
    })),
  ];
  return rows.sort((a, b) => (b.deadAt?.getTime() ?? 0) - (a.deadAt?.getTime() ?? 0)).slice(0, limit);
}

/**
 * Sends a dead push round again from the start of its retry schedule. For a fulfillment the retry is a timeline
 * event and closes the order's push exception; false when the row is not dead (already retried, or unknown).
 */
export async function retryDeadPush(db: Db, input: { kind: "fulfillment" | "inventory"; id: string; actor: string }): Promise<boolean> {
  const revive = { state: "pending" as const, attempts: 0, nextAttemptAt: sql`now()`, deadAt: null, updatedAt: sql`now()` };
  if (input.kind === "inventory") {
    const rows = await db.update(shopifyInventoryPushes).set(revive).where(and(eq(shopifyInventoryPushes.id, input.id), eq(shopifyInventoryPushes.state, "dead"))).returning({ id: shopifyInventoryPushes.id });
    return rows.length > 0;
  }
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .update(shopifyFulfillmentPushes)
      .set(revive)
      .where(and(eq(shopifyFulfillmentPushes.id, input.id), eq(shopifyFulfillmentPushes.state, "dead")))
      .returning();
    if (!row) return false;
    const ctx: DomainContext = { accountId: row.accountId, environment: row.environment, source: "dashboard", actor: input.actor };
    await appendOrderEvent(tx, ctx, row.orderId, {
      type: "shopify_push_retried",
      message: `Shopify push for shipment ${row.shipmentId} sent again by ${input.actor}.`,
      data: { shipment_id: row.shipmentId, push_id: row.id },
    });
    await resolveOrderExceptions(tx, ctx, row.orderId, PUSH_FAILED_EXCEPTION, "the push was retried");
    return true;
  });
}
