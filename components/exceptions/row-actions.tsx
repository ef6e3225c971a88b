"use client";

import { useId, useState } from "react";
import { acknowledgeAction, assignAction, resolveAction, retryAction, snoozeAction } from "@/app/(dashboard)/exceptions/actions";
import { useTimeZone } from "@/components/providers";
import { FIX_LABELS } from "@/lib/exceptions/kinds";
import type { QueueFilterOptions, QueueRowJson } from "@/lib/exceptions/queue";
import { suggestedSnooze } from "@/lib/exceptions/snooze";
import { useTriage } from "./use-triage";

type Props = {
  row: QueueRowJson;
  name: string;
  me: string;
  canFix: boolean;
  warehouses: QueueFilterOptions["warehouses"];
  onDone: (message: string, ok: boolean) => void;
};

const SMALL = "btn-secondary px-2 py-0.5 text-xs";

/** The buttons of one queue row: assign to me, acknowledge, snooze…, resolve…, and the kind's own fix. */
export function RowActions({ row, name, me, canFix, warehouses, onDone }: Props) {
  const [assignState, assign, assigning] = useTriage(assignAction, onDone);
  const [acknowledgeState, acknowledge, acknowledging] = useTriage(acknowledgeAction, onDone);
  const [retryState, retry, retrying] = useTriage(retryAction, onDone);
  const refused = [assignState, acknowledgeState, retryState].find((s) => s && !s.ok);
  return (
    <div className="flex min-w-56 flex-col gap-1.5">
      <div className="flex flex-wrap gap-1.5">
        {row.assigned_to !== me ? (
          <form action={assign}>
            <input type="hidden" name="ids" value={row.id} />
            <input type="hidden" name="assignee" value="me" />
            <button type="submit" className={SMALL} disabled={assigning} aria-label={`Assign to me: ${name}`}>
              {assigning ? "Assigning…" : "Assign to me"}
            </button>
          </form>
        ) : null}
        {!row.acknowledged_at ? (
          <form action={acknowledge}>
            <input type="hidden" name="ids" value={row.id} />
            <button type="submit" className={SMALL} disabled={acknowledging} aria-label={`Acknowledge: ${name}`}>
              Acknowledge
            </button>
          </form>
        ) : null}
        {canFix && row.fix ? (
          <form action={retry}>
            <input type="hidden" name="ids" value={row.id} />
            <button type="submit" className={SMALL} disabled={retrying} aria-label={`${FIX_LABELS[row.fix]}: ${name}`}>
              {retrying ? "Working…" : FIX_LABELS[row.fix]}
            </button>
          </form>
        ) : null}
      </div>
      {canFix && row.fix === "release_hold" && row.members === 1 ? (
        <ChooseWarehouseForm row={row} name={name} warehouses={warehouses.filter((w) => w.environment === row.environment)} onDone={onDone} />
      ) : null}
      <SnoozeForm row={row} name={name} onDone={onDone} />
      <ResolveForm row={row} name={name} onDone={onDone} />
      {refused && !refused.ok ? (
        <p role="alert" className="text-xs text-red-700">
          {refused.error}
        </p>
      ) : null}
    </div>
  );
}

function SnoozeForm({ row, name, onDone }: { row: QueueRowJson; name: string; onDone: Props["onDone"] }) {
  const [open, setOpen] = useState(false);
  // "In 4 hours" from the moment it is opened, taken in the handler (a render must not read the clock).
  const [suggested, setSuggested] = useState("");
  const [state, run, pending] = useTriage(snoozeAction, onDone);
  const timeZone = useTimeZone();
  const id = useId();
  const error = state && !state.ok ? (state.fieldErrors.until ?? state.error) : undefined;
  return (
    <details
      open={open}
      onToggle={(e) => {
        const opened = e.currentTarget.open;
        if (opened && !suggested) setSuggested(suggestedSnooze(timeZone));
        setOpen(opened);
      }}
    >
      <summary className="cursor-pointer text-xs font-medium text-sky-800" aria-label={`Snooze: ${name}`}>
        Snooze…
      </summary>
      {open && suggested ? (
        <form action={run} className="mt-1 flex flex-wrap items-end gap-1.5">
          <input type="hidden" name="ids" value={row.id} />
          <div>
            <label htmlFor={id} className="block text-xs text-slate-600">
              Back on ({timeZone})
            </label>
            <input
              id={id}
              name="until"
              type="datetime-local"
              required
              defaultValue={suggested}
              className="field-input py-0.5 text-xs"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
          </div>
          <button type="submit" className={SMALL} disabled={pending}>
            {pending ? "Snoozing…" : "Snooze"}
          </button>
          {error ? (
            <p id={`${id}-error`} role="alert" className="w-full text-xs text-red-700">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </details>
  );
}

function ResolveForm({ row, name, onDone }: { row: QueueRowJson; name: string; onDone: Props["onDone"] }) {
  const [open, setOpen] = useState(false);
  const [state, run, pending] = useTriage(resolveAction, onDone);
  const id = useId();
  const error = state && !state.ok ? (state.fieldErrors.note ?? state.error) : undefined;
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-xs font-medium text-sky-800" aria-label={`Resolve: ${name}`}>
        Resolve…
      </summary>
      {open ? (
        <form action={run} className="mt-1 flex flex-col gap-1.5">
          <input type="hidden" name="ids" value={row.id} />
          <label htmlFor={id} className="text-xs text-slate-600">
            What was done (goes on the order&apos;s timeline)
          </label>
          <textarea id={id} name="note" rows={2} maxLength={1000} className="field-input text-xs" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
          <button type="submit" className={`${SMALL} self-start`} disabled={pending}>
            {pending ? "Resolving…" : row.members > 1 ? `Resolve all ${row.members}` : "Mark resolved"}
          </button>
          {error ? (
            <p id={`${id}-error`} role="alert" className="text-xs text-red-700">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </details>
  );
}

/** When routing finds no warehouse, a person can still send the order to one: reserved there, or backordered. */
function ChooseWarehouseForm({ row, name, warehouses, onDone }: { row: QueueRowJson; name: string; warehouses: Props["warehouses"]; onDone: Props["onDone"] }) {
  const [open, setOpen] = useState(false);
  const [state, run, pending] = useTriage(retryAction, onDone);
  const id = useId();
  const error = state && !state.ok ? (state.fieldErrors.warehouseId ?? state.error) : undefined;
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-xs font-medium text-sky-800" aria-label={`Send to a warehouse: ${name}`}>
        Send to a warehouse…
      </summary>
      {open ? (
        <form action={run} className="mt-1 flex flex-wrap items-end gap-1.5">
          <input type="hidden" name="ids" value={row.id} />
          <div>
            <label htmlFor={id} className="block text-xs text-slate-600">
              Warehouse
            </label>
            <select id={id} name="warehouseId" required className="field-input py-0.5 text-xs" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
              {warehouses.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={SMALL} disabled={pending || !warehouses.length}>
            {pending ? "Sending…" : "Send"}
          </button>
          {error ? (
            <p id={`${id}-error`} role="alert" className="w-full text-xs text-red-700">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </details>
  );
}
