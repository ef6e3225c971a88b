import { z } from "zod";
import type { Tx } from "@/db/client";
import type { DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { formField } from "@/lib/dashboard/form-data";
import { ActionRefusal, type AuditEntry } from "@/lib/dashboard/perform-action";
import { displayTimeZone } from "@/lib/dashboard/time-zone";
import { retryExceptions } from "./fixes";
import { FIX_ROLES, TRIAGE_ROLES } from "./roles";
import { snoozeUntilField } from "./snooze";
import { acknowledgeExceptions, assignExceptions, resolveExceptions, snoozeExceptions, type TriageResult } from "./triage";

/**
 * The queue's actions as the dashboard wrapper runs them (roles, form schema, verb, audit), here rather than in the
 * page's "use server" file so the role matrix is tested against the same definitions the page uses.
 *
 * Every form names the rows it acts on with `ids` (one for a row's own buttons, several for a bulk action). A single
 * row that was already resolved is refused with the stale message; a bulk action reports each row.
 */

const ID = /^exc_[A-Za-z0-9]{8,64}$/;
const ids = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().regex(ID, "This page is out of date; reload it and try again.")).min(1, "Select at least one exception.").max(200, "Select at most 200 at once."),
);

export type TriageData = TriageResult;

type Definition<S extends z.ZodType> = {
  roles: readonly DashboardUserInfo["role"][];
  schema: S;
  audit: (done: { input: z.output<S>; data: TriageData }) => AuditEntry[];
  verb: (call: { user: DashboardUserInfo; input: z.output<S>; db: Tx }) => Promise<TriageData>;
};

function define<S extends z.ZodType>(d: Definition<S>): Definition<S> {
  return d;
}

/** One audit entry per selected row the action changed (a group counts its members); what it set is in `after`. */
function audited(action: string, data: TriageData, after: Record<string, unknown> = {}): AuditEntry[] {
  return data.rows
    .filter((r) => r.outcome === "done" && r.exceptions > 0)
    .map((r) => ({ entityType: "operational_exception", entityId: r.id, action, after: { ...after, exceptions: r.exceptions } }));
}

/** A single row that was not changed is an answer the form shows as refused; several rows get their report. */
function answer(result: TriageResult): TriageResult {
  if (result.rows.length === 1 && result.rows[0].outcome !== "done") throw new ActionRefusal(result.rows[0].message);
  return result;
}

export const acknowledgeDefinition = define({
  roles: TRIAGE_ROLES,
  schema: z.object({ ids }),
  audit: ({ data }) => audited("acknowledged", data),
  verb: async ({ user, input, db }) => answer(await acknowledgeExceptions(db, user, input)),
});

export const assignDefinition = define({
  roles: TRIAGE_ROLES,
  schema: z.object({
    ids,
    // "me", "nobody", or a colleague's e-mail.
    assignee: formField
      .text()
      .pipe(z.string().trim().min(1, "Choose who takes it.").max(254))
      .refine((v) => v === "me" || v === "nobody" || /^[^\s@]+@[^\s@]+$/.test(v), "An e-mail address, or me."),
  }),
  audit: ({ input, data }) => audited("assigned", data, { assigned_to: input.assignee }),
  verb: async ({ user, input, db }) =>
    answer(await assignExceptions(db, user, { ids: input.ids, assignee: input.assignee === "me" ? user.email : input.assignee === "nobody" ? null : input.assignee })),
});

export const snoozeDefinition = define({
  roles: TRIAGE_ROLES,
  schema: z.object({ ids, until: snoozeUntilField(displayTimeZone) }),
  audit: ({ input, data }) => audited("snoozed", data, { snoozed_until: input.until.toISOString() }),
  verb: async ({ user, input, db }) => answer(await snoozeExceptions(db, user, input)),
});

export const resolveDefinition = define({
  roles: TRIAGE_ROLES,
  schema: z.object({ ids, note: formField.text().pipe(z.string().max(1000, "At most 1000 characters.")) }),
  audit: ({ input, data }) => audited("resolved", data, { status: "resolved", note: input.note || null }),
  verb: async ({ user, input, db }) => answer(await resolveExceptions(db, user, input)),
});

export const retryDefinition = define({
  roles: FIX_ROLES,
  // warehouseId: a held order sent to the warehouse a person chose, instead of routed again.
  schema: z.object({ ids, warehouseId: formField.text().pipe(z.string().max(100)).transform((id) => id || undefined) }),
  audit: ({ input, data }) => audited("fixed", data, input.warehouseId ? { warehouse_id: input.warehouseId } : {}),
  verb: async ({ user, input, db }) => answer(await retryExceptions(db, user, input)),
});
