import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { replayDeliveryAction } from "@/app/(dashboard)/webhooks/actions";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { DeliveryStatusBadge, formatMs } from "@/components/webhooks/badges";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { getEventLog, WEBHOOK_OPS_ROLES } from "@/lib/webhooks/dashboard";

type Props = { params: Promise<{ eventId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { eventId } = await params;
  return { title: `Event ${decodeURIComponent(eventId)}` };
}

export default async function EventLogPage({ params }: Props) {
  const user = await requireUser(ALL_ROLES);
  const canAct = hasRole(user, WEBHOOK_OPS_ROLES);
  const { eventId } = await params;
  const log = await getEventLog(getDb(), decodeURIComponent(eventId));
  if (!log) notFound();

  return (
    <>
      <PageHeader
        back={{ href: "/webhooks", label: "Webhooks" }}
        title={<span className="font-mono">{log.id}</span>}
        description={
          <span className="flex flex-wrap items-center gap-1.5">
            {log.type} · {log.accountName} <EnvironmentBadge environment={log.environment} /> · <Timestamp iso={log.createdAt} />
          </span>
        }
      />
      <div className="flex flex-col gap-6">
        {log.deliveries.length === 0 ? (
          <EmptyState title="No deliveries">No active endpoint of this account subscribed to {log.type} when it happened.</EmptyState>
        ) : null}
        {log.deliveries.map((d) => (
          <Card
            key={d.id}
            id={`delivery-${d.id}`}
            title={
              <span className="flex flex-wrap items-center gap-2">
                <Link href={`/webhooks/${d.endpointId}`} className="link break-all">
                  {d.url}
                </Link>
                <DeliveryStatusBadge status={d.status} attempts={d.attemptCount} />
              </span>
            }
            actions={
              canAct && d.status === "dead" ? (
                <ActionButton action={replayDeliveryAction} fields={{ deliveryId: d.id }} label="Replay" pendingLabel="Replaying…" accessibleLabel={`Replay to ${d.url}`} />
              ) : null
            }
          >
            {d.attempts.length ? (
              <Table
                label={`Attempts to deliver ${log.id} to ${d.url}`}
                rows={d.attempts}
                rowKey={(a) => String(a.attemptNumber)}
                columns={[
                  { header: "#", numeric: true, cell: (a) => a.attemptNumber },
                  { header: "Started", className: "whitespace-nowrap", cell: (a) => <Timestamp iso={a.startedAt} relative={false} /> },
                  { header: "Result", cell: (a) => <Badge tone={a.succeeded ? "green" : "red"}>{a.statusCode ? `HTTP ${a.statusCode}` : "No answer"}</Badge> },
                  { header: "Latency", cell: (a) => formatMs(a.durationMs) },
                  { header: "Error", className: "max-w-sm break-words text-red-800", cell: (a) => a.error ?? "" },
                  {
                    header: "Response (first 2 KB)",
                    className: "max-w-md",
                    cell: (a) => (a.responseBody ? <pre className="max-h-24 overflow-auto text-xs break-all whitespace-pre-wrap text-slate-600">{a.responseBody}</pre> : null),
                  },
                ]}
              />
            ) : (
              <p className="px-4 py-3 text-sm text-slate-500">Not attempted yet.</p>
            )}
            {d.status === "pending" ? (
              <p className="border-t border-slate-100 px-4 py-2 text-sm text-slate-600">
                Next attempt <Timestamp iso={d.nextAttemptAt} />
              </p>
            ) : null}
          </Card>
        ))}
        <Card title="Payload (data, as frozen when the event happened)" id="payload">
          <pre className="max-h-96 overflow-auto px-4 py-3 text-xs text-slate-700">{JSON.stringify(log.payload, null, 2)}</pre>
        </Card>
      </div>
    </>
  );
}
