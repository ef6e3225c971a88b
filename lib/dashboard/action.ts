import "server-only";
import type { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { currentUser } from "@/lib/auth/dashboard";
import { performAction, type ActionCall, type ActionOptions, type AuditedActionOptions, type AuditHook, type FormAction } from "./perform-action";

export type { ActionResult, ActionState, AuditEntry, Changed, FieldErrors, FormAction, StateOf } from "./perform-action";
export { ActionRefusal, INVALID_INPUT, recordChange } from "./perform-action";
export { formField } from "./form-data";

/**
 * Every dashboard server action: `export const saveX = dashboardAction({ roles, schema }, async ({ user, input, db }) => …)`.
 * The signed-in user is checked against `roles` at every call (refused with a message, never a redirect or a
 * 500), the form is parsed with `schema`, and whatever the verb returns comes back as `{ ok: true, data }`; its
 * expected refusals as `{ ok: false, error, fieldErrors }`. With `audit`, the verb gets the wrapper's transaction
 * and the change is recorded in it. The result fits `useActionState` (`(previous, form)`).
 */
// The audited overload first: an options object that has `audit` gets the transaction, whatever else it has.
export function dashboardAction<S extends z.ZodType, T>(options: AuditedActionOptions<S, T>, verb: (call: ActionCall<z.output<S>, Tx>) => Promise<T>): FormAction<T>;
export function dashboardAction<S extends z.ZodType, T>(options: ActionOptions<S>, verb: (call: ActionCall<z.output<S>, Db>) => Promise<T>): FormAction<T>;
export function dashboardAction<S extends z.ZodType, T>(
  options: ActionOptions<S> & { audit?: AuditHook<z.output<S>, T> },
  verb: (call: ActionCall<z.output<S>, Tx>) => Promise<T>,
): FormAction<T> {
  return async (_previous, form) => performAction(options, verb, await currentUser(), form);
}
