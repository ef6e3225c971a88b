/**
 * The audited actions of this page, apart from the server actions that run them (actions.ts): options and verb,
 * so tests run the very same through performAction.
 */
import { z } from "zod";
import { retryDeadPush } from "@/lib/channels/shopify/push/dead-letters";
import { deadPushSubject } from "@/lib/audit/subjects";
import { ActionRefusal, type Changed, defineAction, recordChange } from "@/lib/dashboard/perform-action";
import { formField } from "@/lib/dashboard/form-data";
import { CHANNEL_FAILURE_RETRY_ROLES } from "@/lib/dashboard/nav";

/** Sends one dead push round again (fresh retry schedule); the worker picks it up within a second. */
export const retryPushAction = defineAction(
  { roles: CHANNEL_FAILURE_RETRY_ROLES, schema: z.object({ id: formField.id(/^(sfp|sip)_[a-z0-9]{10,64}$/) }), audit: recordChange },
  async ({ user, input, db }): Promise<Changed> => {
    const kind = input.id.startsWith("sfp_") ? "fulfillment" : "inventory";
    const before = await deadPushSubject(db, kind, input.id);
    const retried = before && (await retryDeadPush(db, { kind, id: input.id, actor: user.email }));
    if (!before || !retried) throw new ActionRefusal("It is no longer a dead letter (already retried?).");
    const after = await deadPushSubject(db, kind, input.id);
    return {
      message: "Queued; it will be pushed again shortly.",
      change: { entityType: "shopify_push", entityId: input.id, action: "retried", before: before.state, after: after?.state, accountId: before.accountId, environment: before.environment },
    };
  },
);
