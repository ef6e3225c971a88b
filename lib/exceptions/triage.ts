import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "@/db/client";
import { dashboardUsers, operationalExceptions, type OperationalException } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { DashboardUserInfo } from "@/lib/auth/dashboard-users";
import { normalizeEmail } from "@/lib/auth/dashboard-users";
import type { DomainContext } from "@/lib/context";
import { InvalidFieldsError } from "@/lib/errors";
import { appendOrderEvent } from "@/lib/events/timeline";
import { queueKindLabel } from "./kinds";
import { snoozeProblem } from "./snooze";

/**
 * The triage verbs: acknowledge, assign, snooze, resolve. Each takes the ids the person selected (one row, or many
 * for a bulk action) and runs in ONE transaction: every exception an id stands for (the id, and every open member of
 * its group) is locked, changed, and its order's timeline says so. An id whose exception is no longer open
 * (resolved by someone else, or by the flow that raised it) is reported as stale and nothing of it changes.
 */

export type Actor = Pick<DashboardUserInfo, "email">;

/** What happened to one selected row. */
export type RowOutcome = {
  id: string;
  outcome: "done" | "stale" | "not_found" | "failed";
  message: string;
  /** Open exceptions it covered (a group counts each member). */
  exceptions: number;
};

export type TriageResult = { rows: RowOutcome[]; done: number; message: string };

/** The answer to an action on an exception that is no longer open: who closed it, and that nothing changed. */
export function staleMessage(resolvedBy: string | null): string {
  const by = resolvedBy?.includes("@") ? resolvedBy : `the system${resolvedBy ? ` (${resolvedBy})` : ""}`;
  return `Already resolved by ${by}; nothing was changed.`;
}

/** Open exceptions one selected id stands for, locked: it, and the open members of its group. */
export async function lockTargets(tx: Tx, id: string): Promise<{ members: OperationalException[] } | Omit<RowOutcome, "id" | "exceptions">> {
  const [target] = await tx.select().from(operationalExceptions).where(eq(operationalExceptions.id, id)).for("update");
  if (!target) return { outcome: "not_found", message: "No such exception; reload the queue." };
  if (target.status !== "open") return { outcome: "stale", message: staleMessage(target.resolvedBy) };
  if (!target.groupKey) return { members: [target] };
  const members = await tx
    .select()
    .from(operationalExceptions)
    .where(
      and(
        eq(operationalExceptions.groupKey, target.groupKey),
        eq(operationalExceptions.accountId, target.accountId),
        eq(operationalExceptions.environment, target.environment),
        eq(operationalExceptions.status, "open"),
      ),
    )
    .orderBy(operationalExceptions.createdAt, operationalExceptions.id)
    .for("update");
  return { members };
}

function contextOf(x: Pick<OperationalException, "accountId" | "environment">, actor: Actor): DomainContext {
  return { accountId: x.accountId, environment: x.environment, source: "dashboard", actor: actor.email };
}

/** One line on the timeline of every order the change touched. */
async function tellOrders(tx: Tx, actor: Actor, members: OperationalException[], entry: (x: OperationalException) => { type: string; message: string; data?: Record<string, unknown> }) {
  for (const x of members) {
    if (!x.orderId) continue;
    const e = entry(x);
    await appendOrderEvent(tx, contextOf(x, actor), x.orderId, { ...e, data: { exception_id: x.id, kind: x.kind, ...e.data } });
  }
}

type Change = {
  set: PgUpdateSetSource<typeof operationalExceptions>;
  line: (x: OperationalException) => { type: string; message: string; data?: Record<string, unknown> };
  done: (members: OperationalException[]) => string;
};

async function applyToEach(db: DbOrTx, actor: Actor, ids: string[], change: Change): Promise<TriageResult> {
  const unique = [...new Set(ids)];
  return inTransaction(db, async (tx) => {
    const rows: RowOutcome[] = [];
    const seen = new Set<string>();
    for (const id of unique) {
      const locked = await lockTargets(tx, id);
      if (!("members" in locked)) {
        rows.push({ id, exceptions: 0, ...locked });
        continue;
      }
      // A group selected twice (two of its members ticked) is changed once.
      const members = locked.members.filter((x) => !seen.has(x.id));
      members.forEach((x) => seen.add(x.id));
      if (!members.length) {
        rows.push({ id, outcome: "done", message: "Covered by another selected row.", exceptions: 0 });
        continue;
      }
      await tx
        .update(operationalExceptions)
        .set({ ...change.set, updatedAt: sql`now()` })
        .where(and(inArray(operationalExceptions.id, members.map((x) => x.id)), eq(operationalExceptions.status, "open")));
      await tellOrders(tx, actor, members, change.line);
      rows.push({ id, outcome: "done", message: change.done(members), exceptions: members.length });
    }
    return summarize(rows);
  });
}

function summarize(rows: RowOutcome[]): TriageResult {
  const done = rows.filter((r) => r.outcome === "done").length;
  const message = rows.length === 1 ? rows[0].message : `${done} of ${rows.length} done${done < rows.length ? "; see each row for the rest" : ""}.`;
  return { rows, done, message };
}

const what = (x: OperationalException) => queueKindLabel(x.kind).replace(/s$/, "").toLowerCase();
const plural = (members: OperationalException[], one: string) => (members.length === 1 ? one : `${members.length} exceptions`);

/** "I have seen it": the queue shows who acknowledged it and when; it stays open. */
export function acknowledgeExceptions(db: DbOrTx, actor: Actor, input: { ids: string[] }): Promise<TriageResult> {
  return applyToEach(db, actor, input.ids, {
    set: { acknowledgedAt: sql`now()`, acknowledgedBy: actor.email },
    line: (x) => ({ type: "exception_acknowledged", message: `Exception acknowledged by ${actor.email}: ${what(x)}.` }),
    done: (m) => `Acknowledged ${plural(m, "it")}.`,
  });
}

/**
 * Gives the exceptions to a dashboard user (by e-mail), or to nobody (null). The assignee must be an active user:
 * an exception assigned to a typo would sit unseen.
 */
export async function assignExceptions(db: DbOrTx, actor: Actor, input: { ids: string[]; assignee: string | null }): Promise<TriageResult> {
  const assignee = input.assignee === null ? null : normalizeEmail(input.assignee);
  if (assignee !== null) {
    const [user] = await db
      .select({ email: dashboardUsers.email })
      .from(dashboardUsers)
      .where(and(eq(dashboardUsers.email, assignee), eq(dashboardUsers.active, true)));
    if (!user) throw new InvalidFieldsError({ assignee: `No active dashboard user has the e-mail ${assignee}.` });
  }
  const who = assignee === actor.email ? "themselves" : (assignee ?? "nobody");
  return applyToEach(db, actor, input.ids, {
    set: { assignedTo: assignee, assignedAt: assignee ? sql`now()` : null },
    line: (x) => ({
      type: "exception_assigned",
      message: assignee ? `Exception assigned to ${assignee} by ${actor.email}: ${what(x)}.` : `Exception unassigned by ${actor.email}: ${what(x)}.`,
      data: { assigned_to: assignee },
    }),
    done: (m) => (assignee ? `Assigned ${plural(m, "it")} to ${who === "themselves" ? "you" : who}.` : `Unassigned ${plural(m, "it")}.`),
  });
}

/** Hides the exceptions from the queue until `until`; they come back by themselves. At most 30 days ahead. */
export function snoozeExceptions(db: DbOrTx, actor: Actor, input: { ids: string[]; until: Date; now?: Date }): Promise<TriageResult> {
  const problem = snoozeProblem(input.until, input.now);
  if (problem) return Promise.reject(new InvalidFieldsError({ until: problem }));
  const iso = input.until.toISOString();
  const shown = `${iso.slice(0, 16).replace("T", " ")} UTC`;
  return applyToEach(db, actor, input.ids, {
    set: { snoozedUntil: input.until },
    line: (x) => ({ type: "exception_snoozed", message: `Exception snoozed by ${actor.email} until ${shown}: ${what(x)}.`, data: { snoozed_until: iso } }),
    done: (m) => `Snoozed ${plural(m, "it")} until ${shown}.`,
  });
}

/** Closes the exceptions with what was done; the note goes on each order's timeline. */
export function resolveExceptions(db: DbOrTx, actor: Actor, input: { ids: string[]; note: string }): Promise<TriageResult> {
  const note = input.note.trim().slice(0, 1000);
  return applyToEach(db, actor, input.ids, {
    set: { status: "resolved", resolvedAt: sql`now()`, resolvedBy: actor.email, resolutionNote: note || null },
    line: (x) => ({ type: "exception_resolved", message: `Exception resolved by ${actor.email}: ${what(x)}${note ? ` — ${note}` : "."}`, data: note ? { note } : {} }),
    done: (m) => `Resolved ${plural(m, "it")}.`,
  });
}
