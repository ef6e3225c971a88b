"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { CHANNEL_FAILURE_RETRY_ROLES } from "@/lib/dashboard/nav";
import { retryDeadPush } from "@/lib/channels/shopify/push/dead-letters";

export type RetryState = { ok: true; data: { message: string } } | { ok: false; error: string; fieldErrors?: Record<string, string> } | null;

const ID = /^(sfp|sip)_[a-z0-9]{10,64}$/;

/** Sends one dead push round again (fresh retry schedule); the worker picks it up within a second. */
export async function retryPushAction(_previous: RetryState, form: FormData): Promise<RetryState> {
  const user = await requireUser(CHANNEL_FAILURE_RETRY_ROLES);
  const id = String(form.get("id") ?? "");
  if (!ID.test(id)) return { ok: false, error: "Unknown push.", fieldErrors: { id: "Not a valid id." } };
  try {
    const retried = await retryDeadPush(getDb(), { kind: id.startsWith("sfp_") ? "fulfillment" : "inventory", id, actor: user.email });
    revalidatePath("/channel-failures");
    return retried ? { ok: true, data: { message: "Queued; it will be pushed again shortly." } } : { ok: false, error: "It is no longer a dead letter (already retried?)." };
  } catch (error) {
    console.error("channel failure retry failed", error);
    return { ok: false, error: "Something went wrong; nothing was changed." };
  }
}
