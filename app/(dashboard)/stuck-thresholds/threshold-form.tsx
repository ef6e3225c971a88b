"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import { Table } from "@/components/ui/table";
import type { StateOf } from "@/lib/dashboard/action";
import { formatMinutes, parseDuration } from "@/lib/stuck-orders/duration";
import type { LevelPreview, ThresholdRow } from "@/lib/stuck-orders/settings";
import { THRESHOLDS } from "@/lib/stuck-orders/stages";
import { saveThresholdsAction } from "./actions";

/** How long the typing pauses before the preview asks the server again. */
const DEBOUNCE_MS = 350;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

class PreviewError extends Error {}

async function fetchPreview(query: string): Promise<LevelPreview> {
  const response = await fetch(`/api/dashboard/stuck-orders/preview?${query}`, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new PreviewError(response.status === 401 ? "You are signed out: sign in again to see the preview." : (body?.error?.message ?? "The preview is not available right now."));
  }
  return (await response.json()) as LevelPreview;
}

const plural = (n: number) => `${n} order${n === 1 ? "" : "s"}`;

/**
 * One level's thresholds: an override per stage (empty inherits), checked as the user types, with a live count of
 * the orders these values would call stuck now. Readers see the same form read-only, preview included.
 */
export function ThresholdForm({ level, levelName, rows, canEdit }: { level: string; levelName: string; rows: ThresholdRow[]; canEdit: boolean }) {
  const [state, run, pending] = useActionState<StateOf<typeof saveThresholdsAction>, FormData>(saveThresholdsAction, null);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(rows.map((r) => [r.key, r.override === null ? "" : formatMinutes(r.override)])));
  const checked = rows.map((r) => ({ row: r, parsed: parseDuration(values[r.key] ?? "") }));
  const valid = checked.every((c) => c.parsed.ok);
  const query = new URLSearchParams({ level, ...Object.fromEntries(checked.map((c) => [c.row.key, values[c.row.key] ?? ""])) }).toString();
  const settled = useDebounced({ query, valid }, DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: ["stuck-preview", settled.query],
    queryFn: () => fetchPreview(settled.query),
    enabled: settled.valid,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const client = useQueryClient();
  // Saved: the "saved values" count changed under the same query, so it is asked again.
  useEffect(() => {
    if (state?.ok) void client.invalidateQueries({ queryKey: ["stuck-preview"] });
  }, [state, client]);
  const serverErrors = state && !state.ok ? state.fieldErrors : {};
  const counting = preview.isFetching || settled.query !== query;

  return (
    <form action={run} aria-label={`Thresholds for ${levelName}`} aria-describedby="stuck-preview">
      <input type="hidden" name="level" value={level} />
      <Table
        label={`Stuck-order thresholds for ${levelName}`}
        rows={checked}
        rowKey={(c) => c.row.key}
        columns={[
          { header: "An order is stuck when it is", cell: (c) => <span className="font-medium text-slate-800">{c.row.words}</span> },
          {
            header: "Without an override",
            className: "whitespace-nowrap text-slate-600",
            cell: (c) => (
              <>
                {formatMinutes(c.row.inherited.minutes)} <span className="text-xs">({c.row.inherited.from === "global" ? "global" : "default"})</span>
              </>
            ),
          },
          {
            header: "Override here",
            cell: (c) => {
              const id = `threshold-${c.row.key}`;
              const error = c.parsed.ok ? serverErrors[c.row.key] : c.parsed.error;
              return (
                <div className="min-w-40">
                  <label htmlFor={id} className="sr-only">
                    Threshold for {c.row.words}
                  </label>
                  <input
                    id={id}
                    name={c.row.key}
                    value={values[c.row.key] ?? ""}
                    onChange={(e) => setValues((v) => ({ ...v, [c.row.key]: e.target.value }))}
                    readOnly={!canEdit}
                    placeholder={`inherit (${formatMinutes(c.row.inherited.minutes)})`}
                    className="field-input w-36"
                    autoComplete="off"
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                  />
                  {error ? (
                    <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700">
                      {error}
                    </p>
                  ) : null}
                </div>
              );
            },
          },
          {
            header: "Stuck now with these values",
            numeric: true,
            cell: (c) => {
              const stage = THRESHOLDS[c.row.key].stage;
              if (c.row.key === "stalled_out_for_delivery") return <span className="text-xs text-slate-600">counted under in transit</span>;
              const data = preview.data;
              if (!data) return <span className="text-slate-600">…</span>;
              const now = data.proposed.byStage[stage];
              const saved = data.saved.byStage[stage];
              return (
                <span data-testid={`preview-${stage}`}>
                  <span className="font-mono">{now}</span>
                  {now !== saved ? <span className="ml-1 text-xs text-slate-600">(saved values: {saved})</span> : null}
                </span>
              );
            },
          },
        ]}
      />
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-4 py-3">
        <p id="stuck-preview" role="status" aria-live="polite" aria-busy={counting} className="text-sm text-slate-800">
          {!valid ? (
            "Fix the highlighted values to see the preview."
          ) : preview.error ? (
            preview.error.message
          ) : preview.data ? (
            <>
              With these values, <strong data-testid="preview-total">{plural(preview.data.proposed.total)}</strong> {preview.data.proposed.total === 1 ? "is" : "are"} stuck now
              {preview.data.proposed.total !== preview.data.saved.total ? <> (with the saved values: {plural(preview.data.saved.total)})</> : null}.
            </>
          ) : (
            "Counting the orders stuck now…"
          )}
        </p>
        {canEdit ? (
          <button type="submit" className="btn-primary ml-auto" disabled={pending || !valid}>
            {pending ? "Saving…" : "Save thresholds"}
          </button>
        ) : (
          <p className="ml-auto text-xs text-slate-600">Only ops and admin users change thresholds.</p>
        )}
      </div>
      <div className="px-4 pb-3">
        <ActionMessage state={state} />
      </div>
    </form>
  );
}
