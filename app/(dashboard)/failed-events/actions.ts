"use server";

import { z } from "zod";
import { ActionRefusal, dashboardAction, formField } from "@/lib/dashboard/action";
import { STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { replayWarehouseEvent } from "@/lib/warehouse-events/process";

/**
 * Replays a failed warehouse event through the same code as when it arrived. Applies at most once: an event
 * that is no longer failed (someone else retried it) is left alone.
 */
export const retryEventAction = dashboardAction(
  { roles: STATUS_MAPPING_EDIT_ROLES, schema: z.object({ id: formField.id(/^whe_[a-z0-9]{10,64}$/) }) },
  async ({ user, input, db }) => {
    // No revalidation: the row would vanish with its result before anyone read it. It leaves the list on reload.
    const { replayed, event } = await replayWarehouseEvent(db, user.email, input.id);
    if (!replayed) return { state: event.state, message: `Already ${event.state}; nothing was done.` };
    if (event.state === "failed") throw new ActionRefusal(`Still failing (${event.reason}): ${event.message ?? ""}`);
    return { state: event.state, message: `Replayed: ${event.state}.` };
  },
);
