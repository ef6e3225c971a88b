"use server";

import { z } from "zod";
import { ActionRefusal, dashboardAction, formField } from "@/lib/dashboard/action";
import { resolveException } from "@/lib/dashboard/exceptions";
import { RESOLVE_EXCEPTION_ROLES } from "@/lib/dashboard/nav";

const schema = z.object({
  exceptionId: formField.id(/^[A-Za-z0-9_]{1,80}$/),
  note: formField.text().pipe(z.string().max(1000, "At most 1000 characters.")),
});

/** Resolves an open exception; the resolution goes on the order's timeline, attributed to the signed-in user. */
export const resolveExceptionAction = dashboardAction({ roles: RESOLVE_EXCEPTION_ROLES, schema }, async ({ user, input, db }) => {
  const result = await resolveException(db, user, input);
  if (!result.ok) throw new ActionRefusal(result.error);
  // No revalidation: the row stays on screen saying "Resolved" (the list is rendered fresh on the next visit,
  // and order pages are dynamic and poll).
  return { exceptionId: input.exceptionId };
});
