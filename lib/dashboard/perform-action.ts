import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { hasRole, type DashboardRole, type DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { dashboardActor, recordAudit, type AuditChange } from "@/lib/audit/record";
import { DomainError, InvalidFieldsError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { formValues, STALE_PAGE } from "./form-data";

/** Messages keyed by the form field (the input's name) they belong to. */
export type FieldErrors = Record<string, string>;

/** What every dashboard action answers. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors: FieldErrors };

/** The state `useActionState` holds: null until the form is first submitted. */
export type ActionState<T> = ActionResult<T> | null;

/** A server action in the shape `useActionState` calls. */
export type FormAction<T> = (previous: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;

/** The state of the form that runs this action: `useActionState<StateOf<typeof saveX>, FormData>(saveX, null)`. */
export type StateOf<A> = A extends FormAction<infer T> ? ActionState<T> : never;

/**
 * An expected "no" from an action's verb (the row is gone, the push is no longer dead): shown to the user as it is,
 * with the fields it concerns. Throwing it inside an audited action also rolls the transaction back.
 */
export class ActionRefusal extends Error {
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
  }
}

/** One change, as the audit log keeps it: who is the wrapper's to add. */
export type AuditEntry = AuditChange;

export type ActionCall<I, D> = { user: DashboardUserInfo; input: I; db: D };

export type ActionOptions<S extends z.ZodType> = {
  /** Who may run it; checked on the server at every call. */
  roles: readonly DashboardRole[];
  /** Parses the submitted form (see formValues); its issues become field errors. */
  schema: S;
  /**
   * Where a domain error's field (`conditions.countries[1]`, `admin_url`) shows in this form; default: the same
   * name. Undefined: the form has no such field, and the message becomes the form's error.
   */
  formField?: (domainField: string) => string | undefined;
};

/** Describes what an audited action changed, from its input and what its verb returned. */
export type AuditHook<I, T> = (done: { user: DashboardUserInfo; input: I; data: T }) => AuditEntry | AuditEntry[] | null;

/**
 * What most audited actions answer: the form's message, and the change(s) for the audit log (null: nothing
 * changed). The change holds only what the user's page shows anyway, and never a secret (lib/audit/subjects.ts).
 */
export type Changed = { message: string; href?: string; change: AuditEntry | AuditEntry[] | null };
/**
 * An audited action's definition, apart from the server action that runs it: its options and its verb, which the
 * page's `"use server"` file wraps with dashboardAction (and revalidatePath), and tests run through performAction.
 */
export function defineAction<S extends z.ZodType, T>(
  options: ActionOptions<S> & { audit: AuditHook<z.output<S>, T> },
  verb: (call: ActionCall<z.output<S>, Tx>) => Promise<T>,
): { options: AuditedActionOptions<S, T>; verb: (call: ActionCall<z.output<S>, Tx>) => Promise<T> } {
  return { options, verb };
}

/** The audit hook of an action that answers Changed. */
export const recordChange = ({ data }: { data: Changed }) => data.change;

export type AuditedActionOptions<S extends z.ZodType, T> = ActionOptions<S> & { audit: AuditHook<z.output<S>, T> };

export const INVALID_INPUT = "Fix the highlighted fields.";

/**
 * Runs one dashboard action for a user (null when signed out): role, parse, verb, answer. Every outcome is a
 * result the form can show; none is a thrown error, so a refused or broken action never renders as a 500 page.
 * An audited action's verb runs in a transaction the wrapper opens, and what it changed is recorded in that same
 * transaction: the change and its record commit together or not at all.
 */
export async function performAction<S extends z.ZodType, T>(
  options: ActionOptions<S> & { audit?: AuditHook<z.output<S>, T> },
  verb: (call: ActionCall<z.output<S>, Tx>) => Promise<T>,
  user: DashboardUserInfo | null,
  form: FormData,
): Promise<ActionResult<T>> {
  if (!user) return refused("You are signed out. Sign in again, then retry.");
  if (!hasRole(user, options.roles)) return refused(`Only ${options.roles.join(" or ")} users can do this; you are signed in as ${user.role}.`);
  // A server action is a public endpoint: a hand-made call can send any arguments, not the form the page posts.
  if (!(form instanceof FormData)) return refused(STALE_PAGE);
  const parsed = options.schema.safeParse(formValues(form));
  if (!parsed.success) return invalid(parsed.error.issues);
  const input: z.output<S> = parsed.data;
  const { audit } = options;
  try {
    // dashboardAction's overloads type a plain verb's db as the database, an audited one's as the transaction.
    if (!audit) return { ok: true, data: await verb({ user, input, db: getDb() as Tx }) };
    const data = await inTransaction(getDb(), async (tx) => {
      const data = await verb({ user, input, db: tx });
      const described = audit({ user, input, data });
      const entries = described === null ? [] : Array.isArray(described) ? described : [described];
      // On tx: the change and its record commit together or not at all.
      await recordAudit(tx, entries.map((entry) => ({ ...dashboardActor(user), ...entry })));
      return data;
    });
    return { ok: true, data };
  } catch (error) {
    // redirect() and notFound() inside a verb are Next's control flow, not failures.
    unstable_rethrow(error);
    const refusal = refusalOf(error, options.formField ?? ((field) => field));
    if (refusal) return refusal;
    const reference = newId("err");
    console.error(`dashboard action failed (${reference})`, error);
    return refused(`Something went wrong on our side (reference ${reference}). Reload the page before trying again.`);
  }
}

function refused(error: string, fieldErrors: FieldErrors = {}): ActionResult<never> {
  return { ok: false, error, fieldErrors };
}

/** The first message per field; an issue about the whole form (no path) or a hidden field becomes the summary. */
function invalid(issues: z.core.$ZodIssue[]): ActionResult<never> {
  const fieldErrors: FieldErrors = {};
  let summary: string | undefined;
  for (const issue of issues) {
    const field = issue.path[0];
    if (field === undefined || issue.message === STALE_PAGE) summary ??= issue.message;
    else fieldErrors[String(field)] ??= issue.message;
  }
  return refused(summary ?? INVALID_INPUT, fieldErrors);
}

/**
 * The domain's expected refusals, as the form should show them. Anything else is a fault: logged, answered with
 * a reference and never with its own message (which may carry internals).
 */
function refusalOf(error: unknown, formField: (field: string) => string | undefined): ActionResult<never> | null {
  if (error instanceof ActionRefusal) return refused(error.message, error.fieldErrors);
  if (error instanceof DomainError) return formErrorsOf(error, formField);
  return null;
}

/** Each field the refusal names, on the form's input for it; one the form does not show becomes the form's message. */
function formErrorsOf(error: DomainError, formField: (field: string) => string | undefined): ActionResult<never> {
  const named = error instanceof InvalidFieldsError ? error.fieldErrors : error.field === undefined ? {} : { [error.field]: error.message };
  const fieldErrors: FieldErrors = {};
  let summary: string | undefined;
  for (const [field, message] of Object.entries(named)) {
    const input = formField(field);
    if (input) fieldErrors[input] ??= message;
    else summary ??= message;
  }
  return refused(summary ?? (Object.keys(fieldErrors).length ? INVALID_INPUT : error.message), fieldErrors);
}
