"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/dashboard";
import { WEBHOOK_OPS_ROLES } from "@/lib/webhooks/dashboard";
import { reEnableEndpoint, replayDeadLetters, replayDelivery, sendTestEvent } from "@/lib/webhooks/operations";

export type WebhookActionState =
  | { ok: true; data: { message: string; href?: string } }
  | { ok: false; error: string; fieldErrors?: Record<string, string> }
  | null;

const ID = /^[a-z]{2,5}_[A-Za-z0-9]{10,64}$/;

async function run(form: FormData, field: string, body: (id: string) => Promise<{ message: string; href?: string }>): Promise<WebhookActionState> {
  await requireUser(WEBHOOK_OPS_ROLES);
  const id = String(form.get(field) ?? "");
  if (!ID.test(id)) return { ok: false, error: "Unknown id.", fieldErrors: { [field]: "Not a valid id." } };
  try {
    const data = await body(id);
    revalidatePath("/webhooks", "layout");
    return { ok: true, data };
  } catch (error) {
    // Our own refusals (not found, disabled, not a dead letter) are meant for the user; anything else is logged only.
    if (error instanceof ApiError) return { ok: false, error: error.message };
    console.error("webhook dashboard action failed", error);
    return { ok: false, error: "Something went wrong; nothing was changed." };
  }
}

/** Puts one dead letter back in the queue (same event_id, fresh retry schedule). */
export async function replayDeliveryAction(_previous: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  return run(form, "deliveryId", async (id) => {
    await replayDelivery(getDb(), id);
    return { message: "Queued for redelivery." };
  });
}

/** Puts every dead letter of an endpoint back in the queue. */
export async function replayAllAction(_previous: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  return run(form, "endpointId", async (id) => {
    const n = await replayDeadLetters(getDb(), id);
    return { message: n === 1 ? "1 dead letter queued for redelivery." : `${n} dead letters queued for redelivery.` };
  });
}

export async function reEnableAction(_previous: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  return run(form, "endpointId", async (id) => {
    await reEnableEndpoint(getDb(), id);
    return { message: "Re-enabled: new events will be delivered. Replay the dead letters to resend what it missed." };
  });
}

export async function sendTestEventAction(_previous: WebhookActionState, form: FormData): Promise<WebhookActionState> {
  return run(form, "endpointId", async (id) => {
    const eventId = await sendTestEvent(getDb(), id);
    return { message: `Test event ${eventId} queued.`, href: `/webhooks/events/${eventId}` };
  });
}
