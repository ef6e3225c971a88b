import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { issueApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { dashboardRoles } from "@/lib/auth/dashboard-users";
import { changeDashboardUserRole, createDashboardUser, resetDashboardUserPassword, setDashboardUserActive } from "@/lib/auth/user-admin";
import { formField } from "@/lib/dashboard/form-data";
import { ADMIN_ROLES } from "@/lib/dashboard/nav";
import type { AuditChange as AuditEntry } from "@/lib/audit/record";
import type { ActionCall, AuditedActionOptions } from "@/lib/dashboard/perform-action";

/**
 * The Admin pages' actions, as the wrapper runs them: who may (admins only), what the form sends, the verb, and what
 * the audit log records. The pages' server actions are these, through dashboardAction; tests run them through
 * performAction with real users and forms.
 */

export { ADMIN_ROLES };

/** The verbs take the database or a transaction: the wrapper hands them its transaction, the audit row commits with it. */
type Defined<S extends z.ZodType, T> = { options: AuditedActionOptions<S, T>; verb: (call: ActionCall<z.output<S>, DbOrTx>) => Promise<T> };

/** Every verb here describes its own change (null: nothing changed), so the CLIs record the same entries. */
function define<S extends z.ZodType, T extends { change: AuditEntry | null }>(schema: S, verb: (call: ActionCall<z.output<S>, DbOrTx>) => Promise<T>): Defined<S, T> {
  return { options: { roles: ADMIN_ROLES, schema, audit: ({ data }) => data.change }, verb };
}

const trimmed = () => formField.text().transform((value) => value.trim());
const role = () => z.enum(dashboardRoles, { error: `Choose one of ${dashboardRoles.join(", ")}.` });
const userId = () => formField.id(/^usr_[0-9a-z]+$/);
/** Blank: generate one, shown once. */
const optionalPassword = () => formField.text().transform((value) => value || undefined);

export const createUser = define(
  z.object({ email: trimmed().pipe(z.string().min(1, "Enter an e-mail address.")), name: trimmed(), role: role(), password: optionalPassword() }),
  async ({ input, db }) => {
    const { user, password, audit } = await createDashboardUser(db, input);
    return { message: `Created ${user.email} (${user.role}).`, email: user.email, password, change: audit };
  },
);

export const changeRole = define(z.object({ id: userId(), role: role() }), async ({ input, db }) => {
  const { user, audit } = await changeDashboardUserRole(db, { userId: input.id, role: input.role });
  return { message: audit ? `${user.email} is now ${user.role}.` : `${user.email} was already ${user.role}.`, change: audit };
});

export const setActive = define(
  z.object({ id: userId(), active: z.enum(["true", "false"], { error: "This page is out of date; reload it and try again." }).transform((v) => v === "true") }),
  async ({ input, db }) => {
    const { user, audit } = await setDashboardUserActive(db, { userId: input.id, active: input.active });
    return { message: user.active ? `${user.email} can sign in.` : `${user.email} is disabled and signed out.`, change: audit };
  },
);

export const resetPassword = define(z.object({ id: userId(), password: optionalPassword() }), async ({ input, db }) => {
  const { user, password, audit } = await resetDashboardUserPassword(db, { userId: input.id, password: input.password });
  return { message: `New password set for ${user.email}; their sessions have ended.`, email: user.email, password, change: audit };
});

export const issueKey = define(
  z.object({
    account: trimmed().pipe(z.string().min(1, "Name the account the key is for.")),
    environment: z.enum(["sandbox", "live"], { error: "Choose sandbox or live." }),
    role: z.enum(["partner", "warehouse"], { error: "Choose partner or warehouse." }),
  }),
  async ({ input, db }) => {
    const { key, record, accountName, audit } = await issueApiKey(db, { accountName: input.account, environment: input.environment, role: input.role });
    return { message: `Issued a ${record.environment} ${record.role} key for ${accountName}.`, key, prefix: record.displayPrefix, change: audit };
  },
);

export const revokeKey = define(z.object({ id: formField.id(/^key_[0-9a-z]+$/) }), async ({ input, db }) => {
  const { record, audit } = await revokeApiKey(db, input.id);
  return { message: `Revoked ${record.displayPrefix}…; it is refused from now on.`, change: audit };
});
