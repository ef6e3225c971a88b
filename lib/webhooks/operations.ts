import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { operationalExceptions, outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { WEBHOOK_DEAD } from "@/lib/exceptions/kinds";
import { resolveRaisedExceptions } from "@/lib/exceptions/raise";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";

/**
 * What operations do to endpoints and deliveries (dashboard actions), and what the worker does when a receiver
 * is gone. Each is one transaction; replays keep the delivery and therefore the event_id.
 */

/** The event type of "send test event": sent only to the endpoint asked for, whatever it subscribes to. */
export const TEST_EVENT_TYPE = "webhook.test";

/**
 * Stops sending to an endpoint. Deliveries still owed become dead letters with the reason, so nothing is lost
 * silently: once the receiver is fixed, ops re-enable the endpoint and replay them.
 */
export async function disableEndpoint(tx: DbOrTx, endpointId: string, reason: string): Promise<void> {
  await tx
    .update(webhookEndpoints)
    .set({ status: "disabled", disabledReason: reason, disabledAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.status, "active")));
  const dead = await tx
    .update(webhookDeliveries)
    .set({ status: "dead", deadAt: sql`now()`, leaseUntil: null, leaseToken: null, lastError: `endpoint disabled: ${reason}`, updatedAt: sql`now()` })
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")))
    .returning({ id: webhookDeliveries.id });
  await raiseDeadDeliveries(tx, dead.map((d) => d.id));
}

/**
 * Raises dead letters on the exceptions queue, in the transaction that made them dead: one exception per delivery,
 * grouped in the queue per endpoint (an outage of one receiver is one row there, with one replay).
 */
export async function raiseDeadDeliveries(tx: DbOrTx, deliveryIds: string[]): Promise<void> {
  if (!deliveryIds.length) return;
  await tx.execute(sql`
    insert into ${operationalExceptions} (id, account_id, environment, kind, message, data)
    select 'exc_' || replace(gen_random_uuid()::text, '-', ''), d.account_id, d.environment, ${WEBHOOK_DEAD},
           'The ' || d.event_type || ' webhook to ' || e.url || ' is a dead letter: ' || coalesce(d.last_error, 'no answer'),
           jsonb_build_object('delivery_id', d.id, 'endpoint_id', d.endpoint_id, 'event_type', d.event_type,
                              'action_label', 'Open the webhook', 'action_href', '/webhooks/' || d.endpoint_id)
      from ${webhookDeliveries} d join ${webhookEndpoints} e on e.id = d.endpoint_id
     where d.id in (select jsonb_array_elements_text(${JSON.stringify(deliveryIds)}::jsonb))`);
}

const REPLAYED = { by: "webhook replay", note: "the delivery was queued again" };

async function liveEndpoint(db: DbOrTx, endpointId: string) {
  const [endpoint] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, endpointId), isNull(webhookEndpoints.deletedAt)));
  if (!endpoint) throw new NotFoundError("Webhook", endpointId);
  return endpoint;
}

/** Sends to the endpoint again, as a fresh start: no failure streak carried over. */
export async function reEnableEndpoint(db: Db, endpointId: string): Promise<void> {
  await liveEndpoint(db, endpointId);
  await db
    .update(webhookEndpoints)
    .set({ status: "active", disabledReason: null, disabledAt: null, failingSince: null, updatedAt: sql`now()` })
    .where(eq(webhookEndpoints.id, endpointId));
}

/** Back to pending, due now, with a fresh retry schedule; attempt numbers continue so the log stays whole. */
const replaySet = {
  status: "pending" as const,
  nextAttemptAt: sql`now()`,
  cycleAttempts: 0,
  firstAttemptAt: null,
  deadAt: null,
  leaseUntil: null,
  leaseToken: null,
  updatedAt: sql`now()`,
};

function assertActive(endpoint: { status: string; id: string }) {
  if (endpoint.status !== "active") throw new ValidationError(`Webhook ${endpoint.id} is disabled; re-enable it before replaying.`);
}

export async function replayDelivery(db: Db, deliveryId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const [delivery] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).for("update");
    if (!delivery) throw new NotFoundError("Delivery", deliveryId);
    if (delivery.status !== "dead") throw new ValidationError(`Delivery ${deliveryId} is ${delivery.status}; only dead letters are replayed.`);
    assertActive(await liveEndpoint(tx, delivery.endpointId));
    await tx.update(webhookDeliveries).set(replaySet).where(eq(webhookDeliveries.id, deliveryId));
    await resolveRaisedExceptions(tx, { kind: WEBHOOK_DEAD, key: "delivery_id", value: deliveryId, ...REPLAYED });
  });
}

/** Replays every dead letter of an endpoint; returns how many. */
export async function replayDeadLetters(db: Db, endpointId: string): Promise<number> {
  return inTransaction(db, async (tx) => {
    assertActive(await liveEndpoint(tx, endpointId));
    const rows = await tx
      .update(webhookDeliveries)
      .set(replaySet)
      .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "dead")))
      .returning({ id: webhookDeliveries.id });
    await resolveRaisedExceptions(tx, { kind: WEBHOOK_DEAD, key: "endpoint_id", value: endpointId, ...REPLAYED });
    return rows.length;
  });
}

/** Queues a signed `webhook.test` event for this endpoint alone; returns its event id. */
export async function sendTestEvent(db: Db, endpointId: string): Promise<string> {
  return inTransaction(db, async (tx) => {
    const endpoint = await liveEndpoint(tx, endpointId);
    assertActive(endpoint);
    const eventId = newId("evt");
    await tx.insert(outboxEvents).values({
      id: eventId,
      accountId: endpoint.accountId,
      environment: endpoint.environment,
      type: TEST_EVENT_TYPE,
      // Who asked stays out of the payload: it goes to the partner.
      payload: { webhook_id: endpoint.id, message: "A test event sent from the fulfillment hub dashboard." },
    });
    await tx.insert(webhookDeliveries).values({
      id: newId("whd"),
      accountId: endpoint.accountId,
      environment: endpoint.environment,
      endpointId: endpoint.id,
      eventId,
      eventType: TEST_EVENT_TYPE,
    });
    return eventId;
  });
}
