import { and, desc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { accounts, operationalExceptions, shopConnections, shopifyWebhookDeliveries, type ShopifyWebhookDelivery, type Environment } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import type { WorkerLoop } from "@/lib/worker/types";
import { cancelFromShopify, intakeOrder, updateOrder, type Outcome } from "./orders";
import { NotYetError, parseShopifyOrder, parseShopifyProduct, PermanentError } from "./payload";
import { flagProductChange } from "./sku-map";

export const DEAD_WEBHOOK = "shopify_webhook_dead";

const LEASE_SECONDS = 120;

/**
 * Claims up to `limit` due deliveries for this worker: a row already leased by a live worker is skipped (SKIP
 * LOCKED while claiming, then the lease), one whose worker died comes back when its lease runs out.
 */
export async function claimDeliveries(db: DbOrTx, limit: number, scope: { accountId?: string } = {}): Promise<ShopifyWebhookDelivery[]> {
  // One account only: tests sharing a database never take each other's deliveries.
  const account = scope.accountId ? sql`and account_id = ${scope.accountId}` : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update ${shopifyWebhookDeliveries} set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
         where id in (select id from ${shopifyWebhookDeliveries}
                       where state = 'pending' and next_attempt_at <= now() and (locked_until is null or locked_until < now()) ${account}
                       order by next_attempt_at, received_at, id
                       limit ${limit}
                       for update skip locked)
        returning id`,
  );
  if (!rows.length) return [];
  const claimed = await db
    .select()
    .from(shopifyWebhookDeliveries)
    .where(
      sql`${shopifyWebhookDeliveries.id} in (${sql.join(
        rows.map((r) => sql`${r.id}`),
        sql`, `,
      )})`,
    );
  // Oldest first, so an order's create runs before its later update when one worker holds both.
  return claimed.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
}

/** The topics the hub acts on are the cases here; any other topic is stored and marked ignored (visible, never an error). */
async function dispatch(tx: DbOrTx, delivery: ShopifyWebhookDelivery): Promise<Outcome & { state: "processed" | "ignored" }> {
  const [connection] = await tx.select().from(shopConnections).where(eq(shopConnections.id, delivery.connectionId));
  if (!connection) throw new PermanentError("The shop connection of this delivery no longer exists.");
  switch (delivery.topic) {
    case "orders/create":
      return { state: "processed", ...(await intakeOrder(tx, connection, delivery, parseShopifyOrder(delivery.rawBody))) };
    case "orders/updated":
      return { state: "processed", ...(await updateOrder(tx, connection, delivery, parseShopifyOrder(delivery.rawBody))) };
    case "orders/cancelled":
      return { state: "processed", ...(await cancelFromShopify(tx, connection, parseShopifyOrder(delivery.rawBody))) };
    case "products/update":
      return { state: "processed", ...(await flagProductChange(tx, connection, parseShopifyProduct(delivery.rawBody))) };
    default:
      return { state: "ignored", outcome: `topic ${delivery.topic} is not handled` };
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 2000);
}

/**
 * Processes one claimed delivery: its effect and the row's "processed" commit together, so a crash in between
 * leaves the row pending (its lease expires, it runs again, and the handlers' dedup makes that harmless). A
 * failure is recorded on the row and retried with backoff; a permanent one, or the last retry, makes it a dead
 * letter with an exception for a human.
 */
export async function processDelivery(db: Db, delivery: ShopifyWebhookDelivery): Promise<"processed" | "ignored" | "retry" | "dead"> {
  try {
    return await inTransaction(db, async (tx) => {
      const result = await dispatch(tx, delivery);
      await tx
        .update(shopifyWebhookDeliveries)
        .set({ state: result.state, outcome: result.outcome, orderId: result.orderId ?? null, processedAt: sql`now()`, lockedUntil: null, lastError: null })
        .where(eq(shopifyWebhookDeliveries.id, delivery.id));
      await resolveDeadLetterException(tx, delivery.id, "it was processed");
      return result.state;
    });
  } catch (error) {
    const schedule = env().SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS;
    const dead = error instanceof PermanentError || delivery.attempts > schedule.length;
    const message = describe(error);
    if (!(error instanceof PermanentError) && !(error instanceof NotYetError)) console.error(`Shopify delivery ${delivery.id} (${delivery.topic}) failed`, error);
    await inTransaction(db, async (tx) => {
      await tx
        .update(shopifyWebhookDeliveries)
        .set({
          state: dead ? "dead" : "pending",
          lastError: message,
          lockedUntil: null,
          nextAttemptAt: dead ? sql`now()` : sql`now() + make_interval(secs => ${schedule[Math.max(0, delivery.attempts - 1)]})`,
        })
        .where(eq(shopifyWebhookDeliveries.id, delivery.id));
      if (dead) {
        await tx.insert(operationalExceptions).values({
          id: newId("exc"),
          accountId: delivery.accountId,
          environment: delivery.environment,
          kind: DEAD_WEBHOOK,
          message: `A Shopify ${delivery.topic} webhook from ${delivery.shopDomain} could not be processed after ${delivery.attempts} attempt(s): ${message}`,
          data: { delivery_id: delivery.id, topic: delivery.topic, shop: delivery.shopDomain, action_label: "Retry", action_href: `/shops/inbox?state=dead#${delivery.id}` },
        });
      }
    });
    return dead ? "dead" : "retry";
  }
}

async function resolveDeadLetterException(tx: DbOrTx, deliveryId: string, why: string): Promise<void> {
  await tx
    .update(operationalExceptions)
    .set({ status: "resolved", resolvedAt: sql`now()`, resolvedBy: `system: ${why}` })
    .where(and(eq(operationalExceptions.kind, DEAD_WEBHOOK), eq(operationalExceptions.status, "open"), sql`${operationalExceptions.data}->>'delivery_id' = ${deliveryId}`));
}

/** One round of the inbox: claims due deliveries and processes them in arrival order. Returns how many ran. */
export async function processShopifyInbox(db: Db, options: { limit?: number; signal?: AbortSignal; accountId?: string } = {}): Promise<number> {
  const batch = await claimDeliveries(db, options.limit ?? 20, { accountId: options.accountId });
  for (const delivery of batch) {
    if (options.signal?.aborted) {
      // Give the rest back at once rather than after the lease.
      await db.update(shopifyWebhookDeliveries).set({ lockedUntil: null, attempts: sql`${shopifyWebhookDeliveries.attempts} - 1` }).where(eq(shopifyWebhookDeliveries.id, delivery.id));
      continue;
    }
    await processDelivery(db, delivery);
  }
  return batch.length;
}

/** Runs the inbox until nothing is due (tests and the CLI; the worker loop runs it forever). */
export async function drainShopifyInbox(db: Db, scope: { accountId?: string } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await processShopifyInbox(db, scope);
    total += n;
    if (!n) return total;
  }
}

export function shopifyInboxLoop(): WorkerLoop {
  return { name: "shopify-inbox", tick: ({ db, signal }) => processShopifyInbox(db, { signal }) };
}

/** A dead (or failing) delivery goes back to the queue now, with a fresh set of retries. */
export async function retryDelivery(db: Db, id: string): Promise<boolean> {
  const [row] = await db
    .update(shopifyWebhookDeliveries)
    .set({ state: "pending", attempts: 0, nextAttemptAt: sql`now()`, lockedUntil: null })
    .where(and(eq(shopifyWebhookDeliveries.id, id), sql`${shopifyWebhookDeliveries.state} in ('dead', 'pending')`))
    .returning({ id: shopifyWebhookDeliveries.id });
  return Boolean(row);
}

export type DeliveryRow = Omit<ShopifyWebhookDelivery, "rawBody" | "headers"> & { accountName: string };

/** The inbox for the ops page: newest first, filterable by state and account. Bodies stay out of the list. */
export async function listDeliveries(
  db: DbOrTx,
  filters: { state?: ShopifyWebhookDelivery["state"]; accountId?: string; environment?: Environment; limit?: number } = {},
): Promise<DeliveryRow[]> {
  const where: SQL[] = [];
  if (filters.state) where.push(eq(shopifyWebhookDeliveries.state, filters.state));
  if (filters.accountId) where.push(eq(shopifyWebhookDeliveries.accountId, filters.accountId));
  if (filters.environment) where.push(eq(shopifyWebhookDeliveries.environment, filters.environment));
  // Bodies and headers stay out of the list: the page shows what happened, not the payloads.
  const { rawBody, headers, ...columns } = getTableColumns(shopifyWebhookDeliveries);
  void rawBody;
  void headers;
  const rows = await db
    .select({ ...columns, accountName: accounts.name })
    .from(shopifyWebhookDeliveries)
    .innerJoin(accounts, eq(accounts.id, shopifyWebhookDeliveries.accountId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(shopifyWebhookDeliveries.receivedAt), desc(shopifyWebhookDeliveries.id))
    .limit(Math.min(filters.limit ?? 100, 500));
  return rows;
}

/** Counts per state, for the inbox header and the metrics page's dead-letter depth. */
export async function inboxCounts(db: DbOrTx): Promise<Record<ShopifyWebhookDelivery["state"], number>> {
  const rows = await db
    .select({ state: shopifyWebhookDeliveries.state, n: sql<number>`count(*)::int` })
    .from(shopifyWebhookDeliveries)
    .groupBy(shopifyWebhookDeliveries.state);
  const out = { pending: 0, processed: 0, ignored: 0, dead: 0 };
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}
