"use client";

import { useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import Link from "next/link";
import { useState } from "react";
import { AccountName } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table } from "@/components/ui/table";
import { Age, Timestamp } from "@/components/ui/time";
import { queueSearchParams, type QueueQuery } from "@/lib/exceptions/filters";
import { QUEUE_KINDS, queueKindLabel } from "@/lib/exceptions/kinds";
import type { QueueFilterOptions, QueueRowJson } from "@/lib/exceptions/queue";
import { THRESHOLDS, type StuckStage } from "@/lib/stuck-orders/stages";
import { BulkBar } from "./bulk-bar";
import { RowActions } from "./row-actions";
import { QUEUE_KEY } from "./use-triage";

export const REFRESH_MS = 5_000;

export type QueueJson = { data: QueueRowJson[]; counts: Record<string, number>; total: number };

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function fetchQueue(params: string): Promise<QueueJson> {
  const response = await fetch(`/api/dashboard/exceptions?${params}`, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new HttpError(response.status);
  return (await response.json()) as QueueJson;
}

/** How a row is named to screen readers in its buttons ("Stuck order on SO-1004"). */
function nameOf(row: QueueRowJson): string {
  const kind = queueKindLabel(row.kind).replace(/s$/, "");
  if (row.members > 1) return `${kind}: ${row.title}`;
  return row.order_number ? `${kind} on order ${row.order_number}` : `${kind}: ${row.title}`;
}

function stageWords(stage: string | null): string | null {
  return stage && stage in THRESHOLDS ? THRESHOLDS[stage as StuckStage].words : stage;
}

/** Tabs of kinds with their counts; links, so a tab is a URL like every filter. */
function KindTabs({ query, counts, total }: { query: QueueQuery; counts: Record<string, number>; total: number }) {
  const known = new Set<string>(QUEUE_KINDS.map((k) => k.kind));
  const kinds = [...QUEUE_KINDS.map((k) => k.kind), ...Object.keys(counts).filter((k) => !known.has(k)).sort()];
  const hrefFor = (kind: string | undefined) => {
    const params = queueSearchParams({ ...query, kind, stage: kind === "stuck_order" ? query.stage : undefined });
    const text = params.toString();
    return text ? `/exceptions?${text}` : "/exceptions";
  };
  const tab = (kind: string | undefined, label: string, count: number) => {
    const active = (query.kind ?? undefined) === kind;
    return (
      <li key={kind ?? "all"}>
        <Link
          href={hrefFor(kind)}
          aria-current={active ? "page" : undefined}
          className={clsx(
            "flex items-center gap-1.5 rounded-md border px-2.5 py-1 text-sm whitespace-nowrap",
            active ? "border-sky-700 bg-sky-700 text-white" : "border-slate-200 bg-white text-slate-700 hover:bg-slate-50",
          )}
        >
          {label}
          <span className={clsx("rounded-full px-1.5 text-xs font-semibold tabular-nums", active ? "bg-sky-900 text-white" : count ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-600")}>{count}</span>
        </Link>
      </li>
    );
  };
  return (
    <nav aria-label="Kinds of exception" className="mb-3">
      <ul className="flex flex-wrap gap-1.5">
        {tab(undefined, "All", total)}
        {kinds.map((k) => tab(k, queueKindLabel(k), counts[k] ?? 0))}
      </ul>
    </nav>
  );
}

/**
 * The triage queue, kept live by polling its JSON route with the page's filters. Rows can be selected for the bulk
 * bar; each row has its own actions. What the last action did is announced above the table.
 */
export function ExceptionQueue({
  initial,
  query,
  me,
  canFix,
  defaultUntil,
  warehouses,
}: {
  initial: QueueJson;
  query: QueueQuery;
  me: string;
  canFix: boolean;
  defaultUntil: string;
  /** Where a held order can be sent by hand. */
  warehouses: QueueFilterOptions["warehouses"];
}) {
  const params = queueSearchParams(query).toString();
  const { data, error } = useQuery({
    queryKey: [QUEUE_KEY, params],
    queryFn: () => fetchQueue(params),
    initialData: initial,
    refetchInterval: (q) => (q.state.error instanceof HttpError && q.state.error.status === 401 ? false : REFRESH_MS),
    refetchIntervalInBackground: false,
  });
  const queue = data ?? initial;
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<{ message: string; ok: boolean } | null>(null);
  // Only rows still on screen stay selected (a resolved one leaves the queue and the selection).
  const selected = queue.data.filter((r) => picked.has(r.id)).map((r) => r.id);
  const toggle = (id: string, on: boolean) =>
    setPicked((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allOn = queue.data.length > 0 && selected.length === queue.data.length;
  const onDone = (message: string, ok: boolean) => setNotice({ message, ok });

  return (
    <>
      <KindTabs query={query} counts={queue.counts} total={queue.total} />
      <BulkBar ids={selected} canFix={canFix} defaultUntil={defaultUntil} onDone={onDone} />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={allOn} disabled={!queue.data.length} onChange={(e) => setPicked(e.target.checked ? new Set(queue.data.map((r) => r.id)) : new Set())} />
          Select all shown
        </label>
        {error instanceof HttpError && error.status === 401 ? (
          <p role="alert" className="text-sm text-red-700">
            Your session has ended.{" "}
            <Link className="link" href="/login">
              Sign in again
            </Link>{" "}
            to keep this queue live.
          </p>
        ) : (
          <p role="status" className={clsx("text-xs", error ? "text-amber-700" : "text-slate-500")}>
            {error ? "Could not refresh; showing the last known queue. Retrying…" : `Live · refreshes every ${REFRESH_MS / 1000} s`}
          </p>
        )}
      </div>
      <div role="status" aria-live="polite" className="mb-2 min-h-5 text-sm">
        {notice ? <span className={notice.ok ? "text-emerald-800" : "text-red-700"}>{notice.message}</span> : null}
      </div>
      <Table
        label="Open exceptions"
        framed
        rows={queue.data}
        rowKey={(r) => r.id}
        rowId={(r) => `exception-${r.id}`}
        empty={{
          title: query.snoozed ? "Nothing snoozed" : "No open exceptions here",
          body: Object.keys(query).length ? "Nothing matches these filters. Clear them to see the whole queue." : "Nothing needs attention right now.",
        }}
        columns={[
          {
            header: "Select",
            hideHeader: true,
            className: "w-8",
            cell: (r) => <input type="checkbox" checked={picked.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={`Select ${nameOf(r)}`} />,
          },
          {
            header: "Exception",
            className: "min-w-72 max-w-xl",
            cell: (r) => (
              <div className="space-y-1">
                <div className="flex flex-wrap items-center gap-1.5">
                  <Badge tone={r.kind === "stuck_order" ? "orange" : "amber"}>{queueKindLabel(r.kind).replace(/s$/, "")}</Badge>
                  {r.stage ? <span className="text-xs text-slate-600">{stageWords(r.stage)}</span> : null}
                  {r.members > 1 ? <Badge tone="violet">{r.members} orders</Badge> : null}
                </div>
                <p className="text-slate-800">{r.title}</p>
                {r.link ? (
                  <Link href={r.link.href} className="link text-sm">
                    {r.link.label}
                  </Link>
                ) : null}
              </div>
            ),
          },
          {
            header: "Order",
            className: "whitespace-nowrap",
            cell: (r) =>
              r.order_id ? (
                <Link href={`/orders/${r.order_id}`} className="link">
                  {r.order_number ?? r.order_id}
                </Link>
              ) : (
                <span className="text-slate-500">—</span>
              ),
          },
          { header: "Account", cell: (r) => <AccountName name={r.account_name} environment={r.environment} /> },
          { header: "Age", className: "whitespace-nowrap text-slate-700", cell: (r) => <Age iso={r.opened_at} /> },
          {
            header: "Owner",
            className: "text-sm text-slate-700",
            cell: (r) => (
              <div className="space-y-0.5">
                <p>{r.assigned_to ? (r.assigned_to === me ? "You" : r.assigned_to) : <span className="text-slate-500">Unassigned</span>}</p>
                {r.acknowledged_by ? <p className="text-xs text-slate-600">Seen by {r.acknowledged_by === me ? "you" : r.acknowledged_by}</p> : null}
                {r.snoozed_until ? (
                  <p className="text-xs text-slate-600">
                    Snoozed until <Timestamp iso={r.snoozed_until} relative={false} />
                  </p>
                ) : null}
              </div>
            ),
          },
          { header: "Actions", hideHeader: true, cell: (r) => <RowActions row={r} name={nameOf(r)} me={me} canFix={canFix} warehouses={warehouses} onDone={onDone} /> },
        ]}
      />
    </>
  );
}
