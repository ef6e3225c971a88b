import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { reEnableAction, replayAllAction, sendTestEventAction } from "@/app/(dashboard)/webhooks/actions";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { DeliveryStatusBadge, EndpointStatusBadge, formatMs, formatRate } from "@/components/webhooks/badges";
import { DeadLetterTable } from "@/components/webhooks/dead-letter-table";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { HEALTH_WINDOW_HOURS, listDeadLetters, listEndpointHealth, listRecentDeliveries, WEBHOOK_OPS_ROLES } from "@/lib/webhooks/dashboard";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Webhook endpoint" };

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold text-slate-900">{value}</dd>
      {detail ? <dd className="text-xs text-slate-500">{detail}</dd> : null}
    </div>
  );
}

export default async function WebhookEndpointPage({ params }: Props) {
  const user = await requireUser(ALL_ROLES);
  const canAct = hasRole(user, WEBHOOK_OPS_ROLES);
  const { id } = await params;
  const db = getDb();
  const [endpoint] = await listEndpointHealth(db, { endpointId: decodeURIComponent(id) });
  if (!endpoint) notFound();
  const [deadLetters, recent] = await Promise.all([listDeadLetters(db, { endpointId: endpoint.id }), listRecentDeliveries(db, endpoint.id)]);

  return (
    <>
      <PageHeader
        back={{ href: "/webhooks", label: "Webhooks" }}
        title={<span className="break-all">{endpoint.url}</span>}
        description={
          <span className="flex flex-wrap items-center gap-1.5">
            <span className="font-mono">{endpoint.id}</span> · {endpoint.accountName} <EnvironmentBadge environment={endpoint.environment} /> ·{" "}
            {endpoint.events.join(", ")}
          </span>
        }
        actions={
          canAct ? (
            <div className="flex flex-wrap items-center gap-2">
              {endpoint.status === "disabled" ? (
                <ActionButton action={reEnableAction} fields={{ endpointId: endpoint.id }} label="Re-enable" pendingLabel="Re-enabling…" look="primary" />
              ) : (
                <ActionButton action={sendTestEventAction} fields={{ endpointId: endpoint.id }} label="Send test event" pendingLabel="Sending…" />
              )}
              {endpoint.dead > 0 && endpoint.status === "active" ? (
                <ActionButton
                  action={replayAllAction}
                  fields={{ endpointId: endpoint.id }}
                  label={`Replay all ${endpoint.dead} dead letters`}
                  pendingLabel="Replaying…"
                  look="primary"
                />
              ) : null}
            </div>
          ) : null
        }
      />

      {endpoint.status === "disabled" ? (
        <div role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          <strong>Disabled</strong>
          {endpoint.disabledAt ? (
            <>
              {" "}
              (<Timestamp iso={endpoint.disabledAt} />)
            </>
          ) : null}
          : {endpoint.disabledReason ?? "no reason recorded"} New events are not queued for it until it is re-enabled.
        </div>
      ) : null}

      <dl className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-5">
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
          <dt className="text-xs font-medium text-slate-500">Status</dt>
          <dd className="mt-1">
            <EndpointStatusBadge status={endpoint.status} failing={Boolean(endpoint.failingSince)} />
          </dd>
          {endpoint.failingSince ? (
            <dd className="mt-1 text-xs text-slate-500">
              failing since <Timestamp iso={endpoint.failingSince} />
            </dd>
          ) : null}
        </div>
        <Figure label={`Success (${HEALTH_WINDOW_HOURS} h)`} value={formatRate(endpoint.successRate)} detail={`${endpoint.successes} of ${endpoint.attempts} attempts`} />
        <Figure label="Latency p50 / p95" value={`${formatMs(endpoint.p50Ms)} / ${formatMs(endpoint.p95Ms)}`} />
        <Figure label="Retrying" value={String(endpoint.pending)} />
        <Figure label="Dead letters" value={String(endpoint.dead)} />
      </dl>
      {endpoint.lastError ? (
        <p className="mb-6 text-sm">
          <span className="font-medium text-slate-700">Last error:</span> <span className="text-red-800">{endpoint.lastError}</span>
          {endpoint.lastErrorAt ? (
            <>
              {" "}
              · <Timestamp iso={endpoint.lastErrorAt} />
            </>
          ) : null}
        </p>
      ) : null}

      <div className="flex flex-col gap-6">
        <Card title="Dead letters" id="endpoint-dead-letters">
          <DeadLetterTable rows={deadLetters} canReplay={canAct && endpoint.status === "active"} showEndpoint={false} />
        </Card>
        <Card title="Latest deliveries" id="recent-deliveries">
          <Table
            label="Latest deliveries to this endpoint, newest first"
            rows={recent}
            rowKey={(d) => d.id}
            rowHref={(d) => `/webhooks/events/${d.eventId}`}
            empty={{ title: "Nothing sent yet" }}
            columns={[
              { header: "Event", className: "font-mono text-xs", cell: (d) => d.eventId },
              { header: "Type", cell: (d) => d.eventType },
              {
                header: "Status",
                cell: (d) => (
                  <>
                    <DeliveryStatusBadge status={d.status} attempts={d.attemptCount} />
                    {d.status === "pending" && d.attemptCount > 0 ? (
                      <div className="text-xs text-slate-500">
                        next <Timestamp iso={d.nextAttemptAt} />
                      </div>
                    ) : null}
                  </>
                ),
              },
              { header: "Attempts", numeric: true, cell: (d) => d.attemptCount },
              { header: "Last answer", className: "max-w-md break-words", cell: (d) => d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—") },
              { header: "Created", className: "whitespace-nowrap text-slate-600", cell: (d) => <Timestamp iso={d.createdAt} /> },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
