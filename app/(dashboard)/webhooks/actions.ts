"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { dashboardAction, formField } from "@/lib/dashboard/action";
import { WEBHOOK_OPS_ROLES } from "@/lib/webhooks/dashboard";
import { reEnableEndpoint, replayDeadLetters, replayDelivery, sendTestEvent } from "@/lib/webhooks/operations";

const ID = /^[a-z]{2,5}_[A-Za-z0-9]{10,64}$/;
const delivery = { roles: WEBHOOK_OPS_ROLES, schema: z.object({ deliveryId: formField.id(ID) }) };
const endpoint = { roles: WEBHOOK_OPS_ROLES, schema: z.object({ endpointId: formField.id(ID) }) };

/** Puts one dead letter back in the queue (same event_id, fresh retry schedule). */
export const replayDeliveryAction = dashboardAction(delivery, async ({ input, db }) => {
  await replayDelivery(db, input.deliveryId);
  revalidatePath("/webhooks", "layout");
  return { message: "Queued for redelivery." };
});

/** Puts every dead letter of an endpoint back in the queue. */
export const replayAllAction = dashboardAction(endpoint, async ({ input, db }) => {
  const n = await replayDeadLetters(db, input.endpointId);
  revalidatePath("/webhooks", "layout");
  return { message: n === 1 ? "1 dead letter queued for redelivery." : `${n} dead letters queued for redelivery.` };
});

export const reEnableAction = dashboardAction(endpoint, async ({ input, db }) => {
  await reEnableEndpoint(db, input.endpointId);
  revalidatePath("/webhooks", "layout");
  return { message: "Re-enabled: new events will be delivered. Replay the dead letters to resend what it missed." };
});

export const sendTestEventAction = dashboardAction(endpoint, async ({ input, db }): Promise<{ message: string; href?: string }> => {
  const eventId = await sendTestEvent(db, input.endpointId);
  revalidatePath("/webhooks", "layout");
  return { message: `Test event ${eventId} queued.`, href: `/webhooks/events/${eventId}` };
});
