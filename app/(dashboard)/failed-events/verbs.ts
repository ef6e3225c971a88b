/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import { warehouseEventSubject } from "@/lib/audit/subjects";
import { type Changed, defineAction, recordChange } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { replayWarehouseEvent } from "@/lib/warehouse-events/process";

/**
 * Replays a failed warehouse event through the same code as when it arrived. Applies at most once: an event
 * that is no longer failed (someone else retried it) is left alone. A replay that fails again is still a change
 * (one more attempt, the new reason): it commits and is recorded, and its answer says it is still failing.
 */
export const retryEventAction = defineAction(
  { roles: STATUS_MAPPING_EDIT_ROLES, schema: z.object({ id: formField.id(/^whe_[a-z0-9]{10,64}$/) }), audit: recordChange },
  async ({ user, input, db }): Promise<Changed & { state: string; failed?: boolean }> => {
    // No revalidation: the row would vanish with its result before anyone read it. It leaves the list on reload.
    const before = await warehouseEventSubject(db, input.id);
    const { replayed, event } = await replayWarehouseEvent(db, user.email, input.id);
    if (!replayed || !before) return { state: event.state, message: `Already ${event.state}; nothing was done.`, change: null };
    const after = await warehouseEventSubject(db, input.id);
    const change = { entityType: "warehouse_event", entityId: input.id, action: "replayed", before: before.state, after: after?.state, accountId: before.accountId, environment: before.environment };
    if (event.state === "failed") return { state: event.state, failed: true, message: `Still failing (${event.reason}): ${event.message ?? ""}`, change };
    return { state: event.state, message: `Replayed: ${event.state}.`, change };
  },
);
