import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { ALL_ROLES, STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { failedEventCounts, listFailedEvents } from "@/lib/warehouse-events/dashboard";
import { retryEventAction } from "./actions";

export const metadata: Metadata = { title: "Failed warehouse events" };

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
        {rows.length ? (
          <div className="overflow-x-auto">
            <table className="table-dense">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Account</th>
                  <th scope="col">Event</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Payload</th>
                  {canRetry ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const what = r.rawStatus ? `${r.source} / ${r.rawStatus}` : `${r.source} / ${r.type}`;
                  return (
                    <tr key={r.id}>
                      <td>
                        <Timestamp iso={r.createdAt.toISOString()} />
                      </td>
                      <td>
                        {r.accountName} <EnvironmentBadge environment={r.environment} />
                      </td>
                      <td>
                        <div className="font-mono text-xs">{what}</div>
                        <div className="font-mono text-xs text-slate-500">{r.eventId}</div>
                        {r.orderId ? (
                          <Link href={`/orders/${r.orderId}`} className="link font-mono text-xs">
                            {r.orderId}
                          </Link>
                        ) : null}
                      </td>
                      <td className="max-w-md">
                        <Badge tone="red">{r.reason ?? "unknown"}</Badge> <span className="break-words">{r.message}</span>
                        {r.reason === "unmapped_status" && r.rawStatus ? (
                          <div className="mt-1">
                            <Link href={`/status-mapping?source=${encodeURIComponent(r.source)}&raw=${encodeURIComponent(r.rawStatus)}`} className="link text-xs">
                              Add a mapping for {what}
                            </Link>
                          </div>
                        ) : null}
                      </td>
                      <td>{r.attempts}</td>
                      <td>
                        <details>
                          <summary className="cursor-pointer text-xs text-slate-600">Show payload</summary>
                          <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-100 p-2 text-xs">{JSON.stringify(r.payload, null, 2)}</pre>
                        </details>
                      </td>
                      {canRetry ? (
                        <td>
                          <ActionButton action={retryEventAction} fields={{ id: r.id }} label="Retry" pendingLabel="Retrying…" accessibleLabel={`Retry ${what} (${r.eventId})`} once />
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <div className="p-4">
            <EmptyState title="No failed events">Every warehouse and carrier report was applied, or recorded as stale, ignored or flagged.</EmptyState>
          </div>
        )}
      </Card>
    </>
  );
}
