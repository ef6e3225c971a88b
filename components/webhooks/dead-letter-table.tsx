import Link from "next/link";
import { replayDeliveryAction } from "@/app/(dashboard)/webhooks/actions";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import type { DeliveryRow } from "@/lib/webhooks/dashboard";

/** Dead letters with one-click replay for those allowed to act; a row opens the event's delivery log. */
export function DeadLetterTable({ rows, canReplay, showEndpoint = true }: { rows: DeliveryRow[]; canReplay: boolean; showEndpoint?: boolean }) {
  return (
    <Table
      label="Dead letters, most recent first"
      rows={rows}
      rowKey={(row) => row.id}
      rowHref={(row) => `/webhooks/events/${row.eventId}`}
      empty={{ title: "No dead letters", body: "Every delivery either arrived or is still being retried." }}
      columns={[
        { header: "Event", className: "font-mono text-xs", cell: (row) => row.eventId },
        { header: "Type", className: "whitespace-nowrap", cell: (row) => row.eventType },
        showEndpoint && {
          header: "Endpoint",
          cell: (row) => (
            <div className="flex flex-wrap items-center gap-1.5">
              <Link href={`/webhooks/${row.endpointId}`} className="link break-all">
                {row.url}
              </Link>
              <span className="text-slate-500">{row.accountName}</span>
              <EnvironmentBadge environment={row.environment} />
            </div>
          ),
        },
        { header: "Attempts", numeric: true, cell: (row) => row.attemptCount },
        { header: "Last error", className: "max-w-md break-words text-red-800", cell: (row) => row.lastError ?? "—" },
        { header: "Dead since", className: "whitespace-nowrap text-slate-600", cell: (row) => (row.deadAt ? <Timestamp iso={row.deadAt} /> : "—") },
        canReplay && {
          header: "Action",
          cell: (row) => (
            <ActionButton action={replayDeliveryAction} fields={{ deliveryId: row.id }} label="Replay" pendingLabel="Replaying…" accessibleLabel={`Replay ${row.eventType} ${row.eventId}`} />
          ),
        },
      ]}
    />
  );
}
