import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { AccountName } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { ALL_ROLES, STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { failedEventCounts, listFailedEvents } from "@/lib/warehouse-events/dashboard";
import { retryEventAction } from "./actions";

export const metadata: Metadata = { title: "Failed warehouse events" };

/** The event as people name it: which system said which status (or which kind of report). */
const describe = (r: { source: string; rawStatus: string | null; type: string }) => (r.rawStatus ? `${r.source} / ${r.rawStatus}` : `${r.source} / ${r.type}`);

export default async function FailedEventsPage() {
  const user = await requireUser(ALL_ROLES);
  const canRetry = hasRole(user, STATUS_MAPPING_EDIT_ROLES);
  const db = getDb();
  const [rows, counts] = await Promise.all([listFailedEvents(db), failedEventCounts(db)]);
  return (
    <>
      <PageHeader
        title="Failed warehouse events"
        description="Reports from the WMS and carriers that could not be applied. Nothing of them was applied; fix the cause (add the status mapping, create the SKU…), then retry. A retry applies an event once."
      />
      {counts.length ? (
        <ul className="mb-4 flex flex-wrap gap-2" aria-label="Failed events by reason">
          {counts.map((c) => (
            <li key={c.reason}>
              <Badge tone="red">
                {c.reason}: {c.count}
              </Badge>
            </li>
          ))}
        </ul>
      ) : null}
      <Card title={`Failed (${rows.length})`}>
        <Table
          label="Failed warehouse events, newest first"
          rows={rows}
          rowKey={(r) => r.id}
          empty={{ title: "No failed events", body: "Every warehouse and carrier report was applied, or recorded as stale, ignored or flagged." }}
          columns={[
            { header: "Received", cell: (r) => <Timestamp iso={r.createdAt.toISOString()} /> },
            { header: "Account", cell: (r) => <AccountName name={r.accountName} environment={r.environment} /> },
            {
              header: "Event",
              cell: (r) => (
                <>
                  <div className="font-mono text-xs">{describe(r)}</div>
                  <div className="font-mono text-xs text-slate-500">{r.eventId}</div>
                  {r.orderId ? (
                    <Link href={`/orders/${r.orderId}`} className="link font-mono text-xs">
                      {r.orderId}
                    </Link>
                  ) : null}
                </>
              ),
            },
            {
              header: "Reason",
              className: "max-w-md",
              cell: (r) => (
                <>
                  <Badge tone="red">{r.reason ?? "unknown"}</Badge> <span className="break-words">{r.message}</span>
                  {r.reason === "unmapped_status" && r.rawStatus ? (
                    <div className="mt-1">
                      <Link href={`/status-mapping?source=${encodeURIComponent(r.source)}&raw=${encodeURIComponent(r.rawStatus)}`} className="link text-xs">
                        Add a mapping for {describe(r)}
                      </Link>
                    </div>
                  ) : null}
                </>
              ),
            },
            { header: "Attempts", cell: (r) => r.attempts },
            {
              header: "Payload",
              cell: (r) => (
                <details>
                  <summary className="cursor-pointer text-xs text-slate-600">Show payload</summary>
                  <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-100 p-2 text-xs">{JSON.stringify(r.payload, null, 2)}</pre>
                </details>
              ),
            },
            canRetry && {
              header: "Actions",
              hideHeader: true,
              cell: (r) => (
                <ActionButton action={retryEventAction} fields={{ id: r.id }} label="Retry" pendingLabel="Retrying…" accessibleLabel={`Retry ${describe(r)} (${r.eventId})`} once />
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
