import Link from "next/link";
import { replayDeliveryAction } from "@/app/(dashboard)/webhooks/actions";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Timestamp } from "@/components/ui/time";
import type { DeliveryRow } from "@/lib/webhooks/dashboard";

/** Dead letters with one-click replay for those allowed to act. */
export function DeadLetterTable({ rows, canReplay, showEndpoint = true }: { rows: DeliveryRow[]; canReplay: boolean; showEndpoint?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="table-dense">
        <caption className="sr-only">Dead letters, most recent first</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Type</th>
            {showEndpoint ? <th scope="col">Endpoint</th> : null}
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Dead since</th>
            {canReplay ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="font-mono text-xs">
                <Link href={`/webhooks/events/${row.eventId}`} className="link">
                  {row.eventId}
                </Link>
              </td>
              <td className="whitespace-nowrap">{row.eventType}</td>
              {showEndpoint ? (
                <td>
                  <div className="flex flex-wrap items-center gap-1.5">
                    <Link href={`/webhooks/${row.endpointId}`} className="link break-all">
                      {row.url}
                    </Link>
                    <span className="text-slate-500">{row.accountName}</span>
                    <EnvironmentBadge environment={row.environment} />
                  </div>
                </td>
              ) : null}
              <td>{row.attemptCount}</td>
              <td className="max-w-md break-words text-red-800">{row.lastError ?? "—"}</td>
              <td className="whitespace-nowrap text-slate-600">{row.deadAt ? <Timestamp iso={row.deadAt} /> : "—"}</td>
              {canReplay ? (
                <td>
                  <ActionButton
                    action={replayDeliveryAction}
                    fields={{ deliveryId: row.id }}
                    label="Replay"
                    pendingLabel="Replaying…"
                    accessibleLabel={`Replay ${row.eventType} ${row.eventId}`}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
