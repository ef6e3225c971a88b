"use client";

import { useId, useState } from "react";
import { assignAction, resolveAction, retryAction, snoozeAction } from "@/app/(dashboard)/exceptions/actions";
import type { ActionState } from "@/lib/dashboard/action";
import type { TriageData } from "@/lib/exceptions/actions";
import { useTriage } from "./use-triage";

type Props = { ids: string[]; canFix: boolean; defaultUntil: string; onDone: (message: string, ok: boolean) => void };

function Ids({ ids }: { ids: string[] }) {
  return ids.map((id) => <input key={id} type="hidden" name="ids" value={id} />);
}

/** What a bulk action did to each selected row, under the bar. */
function Report({ state }: { state: ActionState<TriageData> }) {
  if (!state) return null;
  if (!state.ok) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {Object.values(state.fieldErrors)[0] ?? state.error}
      </p>
    );
  }
  return (
    <div role="status" className="text-sm text-slate-800">
      <p className="font-medium text-emerald-800">{state.data.message}</p>
      {state.data.rows.some((r) => r.outcome !== "done") ? (
        <ul className="mt-1 list-disc pl-5 text-xs text-slate-700">
          {state.data.rows
            .filter((r) => r.outcome !== "done")
            .map((r) => (
              <li key={r.id}>
                <span className="font-mono">{r.id}</span>: {r.message}
              </li>
            ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Actions on every selected row at once: assign to me, snooze, resolve with one note, retry. */
export function BulkBar({ ids, canFix, defaultUntil, onDone }: Props) {
  // The report under the bar is of the action that answered last.
  const [latest, setLatest] = useState<"assign" | "snooze" | "resolve" | "retry" | null>(null);
  const heard = (which: NonNullable<typeof latest>) => (message: string, ok: boolean) => {
    setLatest(which);
    onDone(message, ok);
  };
  const [assignState, assign, assigning] = useTriage(assignAction, heard("assign"));
  const [snoozeState, snooze, snoozing] = useTriage(snoozeAction, heard("snooze"));
  const [resolveState, resolve, resolving] = useTriage(resolveAction, heard("resolve"));
  const [retryState, retry, retrying] = useTriage(retryAction, heard("retry"));
  const untilId = useId();
  const assigneeId = useId();
  const noteId = useId();
  const none = ids.length === 0;
  const last = latest ? { assign: assignState, snooze: snoozeState, resolve: resolveState, retry: retryState }[latest] : null;
  return (
    <section aria-label="Bulk actions" className="mb-3 rounded-lg border border-slate-200 bg-slate-50 p-3">
      <p className="mb-2 text-sm text-slate-700">{none ? "Select rows to act on several at once." : `${ids.length} selected.`}</p>
      <div className="flex flex-wrap items-end gap-3">
        <form action={assign} className="flex flex-wrap items-end gap-2">
          <Ids ids={ids} />
          <div>
            <label htmlFor={assigneeId} className="field-label">
              Assign to
            </label>
            <input id={assigneeId} name="assignee" defaultValue="me" autoComplete="off" className="field-input" aria-describedby={`${assigneeId}-hint`} />
            <p id={`${assigneeId}-hint`} className="mt-1 text-xs text-slate-500">
              &ldquo;me&rdquo;, a colleague&apos;s e-mail, or &ldquo;nobody&rdquo;
            </p>
          </div>
          <button type="submit" className="btn-secondary" disabled={none || assigning}>
            Assign selected
          </button>
        </form>
        <form action={snooze} className="flex flex-wrap items-end gap-2">
          <Ids ids={ids} />
          <div>
            <label htmlFor={untilId} className="field-label">
              Snooze until
            </label>
            <input id={untilId} name="until" type="datetime-local" defaultValue={defaultUntil} className="field-input" />
          </div>
          <button type="submit" className="btn-secondary" disabled={none || snoozing}>
            Snooze selected
          </button>
        </form>
        <form action={resolve} className="flex flex-wrap items-end gap-2">
          <Ids ids={ids} />
          <div>
            <label htmlFor={noteId} className="field-label">
              Resolution note
            </label>
            <input id={noteId} name="note" maxLength={1000} className="field-input" placeholder="What was done" />
          </div>
          <button type="submit" className="btn-primary" disabled={none || resolving}>
            Resolve selected
          </button>
        </form>
        {canFix ? (
          <form action={retry}>
            <Ids ids={ids} />
            <button type="submit" className="btn-secondary" disabled={none || retrying}>
              Retry selected
            </button>
          </form>
        ) : null}
      </div>
      <div className="mt-2">
        <Report state={last} />
      </div>
    </section>
  );
}
