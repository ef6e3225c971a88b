"use server";

import { revalidatePath } from "next/cache";
import { issueKey, revokeKey } from "@/lib/auth/admin-actions";
import { dashboardAction } from "@/lib/dashboard/action";

// Each is the Admin action as lib/auth/admin-actions.ts defines it (admins only, audited), then the list drawn again.

export const issueKeyAction = dashboardAction(issueKey.options, async (call) => {
  const done = await issueKey.verb(call);
  revalidatePath("/admin/api-keys");
  return done;
});

export const revokeKeyAction = dashboardAction(revokeKey.options, async (call) => {
  const done = await revokeKey.verb(call);
  revalidatePath("/admin/api-keys");
  return done;
});
