"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { retryDeadPush } from "@/lib/channels/shopify/push/dead-letters";
import { ActionRefusal, dashboardAction, formField } from "@/lib/dashboard/action";
import { CHANNEL_FAILURE_RETRY_ROLES } from "@/lib/dashboard/nav";

/** Sends one dead push round again (fresh retry schedule); the worker picks it up within a second. */
export const retryPushAction = dashboardAction(
  { roles: CHANNEL_FAILURE_RETRY_ROLES, schema: z.object({ id: formField.id(/^(sfp|sip)_[a-z0-9]{10,64}$/) }) },
  async ({ user, input, db }) => {
    const retried = await retryDeadPush(db, { kind: input.id.startsWith("sfp_") ? "fulfillment" : "inventory", id: input.id, actor: user.email });
    if (!retried) throw new ActionRefusal("It is no longer a dead letter (already retried?).");
    revalidatePath("/channel-failures");
    return { message: "Queued; it will be pushed again shortly." };
  },
);
