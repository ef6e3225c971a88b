/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import { webhookDeliverySubject, webhookEndpointSubject, type Subject } from "@/lib/audit/subjects";
import { ActionRefusal, type Changed, defineAction, recordChange } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { WEBHOOK_OPS_ROLES } from "@/lib/webhooks/dashboard";
import { reEnableEndpoint, replayDeadLetters, replayDelivery, sendTestEvent } from "@/lib/webhooks/operations";

const ID = /^[a-z]{2,5}_[A-Za-z0-9]{10,64}$/;
const delivery = { roles: WEBHOOK_OPS_ROLES, schema: z.object({ deliveryId: formField.id(ID) }), audit: recordChange };
const endpoint = { roles: WEBHOOK_OPS_ROLES, schema: z.object({ endpointId: formField.id(ID) }), audit: recordChange };

function found(subject: Subject | undefined, what: string): Subject {
  if (!subject) throw new ActionRefusal(`This ${what} no longer exists; reload the page.`);
  return subject;
}

/** Puts one dead letter back in the queue (same event_id, fresh retry schedule). */
export const replayDeliveryAction = defineAction(delivery, async ({ input, db }): Promise<Changed> => {
  const before = found(await webhookDeliverySubject(db, input.deliveryId), "delivery");
  await replayDelivery(db, input.deliveryId);
  const after = await webhookDeliverySubject(db, input.deliveryId);
  return {
    message: "Queued for redelivery.",
    change: { entityType: "webhook_delivery", entityId: input.deliveryId, action: "replayed", before: before.state, after: after?.state, accountId: before.accountId, environment: before.environment },
  };
});

/** Puts every dead letter of an endpoint back in the queue. */
export const replayAllAction = defineAction(endpoint, async ({ input, db }): Promise<Changed> => {
  const subject = found(await webhookEndpointSubject(db, input.endpointId), "webhook");
  const n = await replayDeadLetters(db, input.endpointId);
  return {
    message: n === 1 ? "1 dead letter queued for redelivery." : `${n} dead letters queued for redelivery.`,
    // One row for the batch: which endpoint, and how many went back in the queue.
    change: { entityType: "webhook_endpoint", entityId: input.endpointId, action: "dead_letters_replayed", after: { replayed: n }, accountId: subject.accountId, environment: subject.environment },
  };
});

export const reEnableAction = defineAction(endpoint, async ({ input, db }): Promise<Changed> => {
  const before = found(await webhookEndpointSubject(db, input.endpointId), "webhook");
  await reEnableEndpoint(db, input.endpointId);
  const after = await webhookEndpointSubject(db, input.endpointId);
  return {
    message: "Re-enabled: new events will be delivered. Replay the dead letters to resend what it missed.",
    change: { entityType: "webhook_endpoint", entityId: input.endpointId, action: "re_enabled", before: before.state, after: after?.state, accountId: before.accountId, environment: before.environment },
  };
});

export const sendTestEventAction = defineAction(endpoint, async ({ input, db }): Promise<Changed> => {
  const subject = found(await webhookEndpointSubject(db, input.endpointId), "webhook");
  const eventId = await sendTestEvent(db, input.endpointId);
  return {
    message: `Test event ${eventId} queued.`,
    href: `/webhooks/events/${eventId}`,
    change: { entityType: "webhook_endpoint", entityId: input.endpointId, action: "test_event_sent", after: { event_id: eventId }, accountId: subject.accountId, environment: subject.environment },
  };
});
