"use server";

import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { NotFoundError } from "@/lib/api/errors";
import { STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { replayWarehouseEvent } from "@/lib/warehouse-events/process";

export type RetryEventState = { ok: true; data: { state: string; message: string } } | { ok: false; error: string; fieldErrors?: Record<string, string> } | null;

/**
 * Replays a failed warehouse event through the same code as when it arrived. Applies at most once: an event
 * that is no longer failed (someone else retried it) is left alone.
 */
export async function retryEventAction(_previous: RetryEventState, form: FormData): Promise<RetryEventState> {
  const user = await requireUser(STATUS_MAPPING_EDIT_ROLES);
  const id = String(form.get("id") ?? "");
  if (!/^whe_[a-z0-9]{10,64}$/.test(id)) return { ok: false, error: "Unknown event.", fieldErrors: { id: "Not a valid event id." } };
  try {
    // No revalidation: the row would vanish with its result before anyone read it. It leaves the list on reload.
    const { replayed, event } = await replayWarehouseEvent(getDb(), user.email, id);
    if (!replayed) return { ok: true, data: { state: event.state, message: `Already ${event.state}; nothing was done.` } };
    if (event.state === "failed") return { ok: false, error: `Still failing (${event.reason}): ${event.message ?? ""}` };
    return { ok: true, data: { state: event.state, message: `Replayed: ${event.state}.` } };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, error: "This event no longer exists; reload the page." };
    console.error("replaying a warehouse event failed", error);
    return { ok: false, error: "Something went wrong; nothing was changed." };
  }
}
