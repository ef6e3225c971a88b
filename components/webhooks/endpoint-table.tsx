import Link from "next/link";
import { EnvironmentBadge } from "@/components/status-badge";
import { Timestamp } from "@/components/ui/time";
import type { EndpointHealth } from "@/lib/webhooks/dashboard";
import { EndpointStatusBadge, formatMs, formatRate } from "./badges";

/** Every endpoint with its health over the last 24 hours. */
export function EndpointTable({ rows }: { rows: EndpointHealth[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="table-dense">
        <caption className="sr-only">Webhook endpoints and their health over the last 24 hours</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Account</th>
            <th scope="col">Status</th>
            <th scope="col">Success (24 h)</th>
            <th scope="col">p50 / p95</th>
            <th scope="col">Last error</th>
            <th scope="col">Retrying</th>
            <th scope="col">Dead</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id}>
              <td className="max-w-sm">
                <Link href={`/webhooks/${e.id}`} className="link break-all">
                  {e.url}
                </Link>
                <div className="text-xs text-slate-500">{e.events.join(", ")}</div>
              </td>
              <td>
                <div className="flex flex-wrap items-center gap-1.5">
                  {e.accountName}
                  <EnvironmentBadge environment={e.environment} />
                </div>
              </td>
              <td className="max-w-xs">
                <EndpointStatusBadge status={e.status} failing={Boolean(e.failingSince)} />
                {e.disabledReason ? <div className="mt-1 text-xs text-red-800">{e.disabledReason}</div> : null}
              </td>
              <td>
                {formatRate(e.successRate)}
                <div className="text-xs text-slate-500">{e.attempts} attempts</div>
              </td>
              <td className="whitespace-nowrap">
                {formatMs(e.p50Ms)} / {formatMs(e.p95Ms)}
              </td>
              <td className="max-w-xs break-words">
                {e.lastError ? (
                  <>
                    <span className="text-red-800">{e.lastError}</span>
                    {e.lastErrorAt ? (
                      <div className="text-xs">
                        <Timestamp iso={e.lastErrorAt} />
                      </div>
                    ) : null}
                  </>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td>{e.pending}</td>
              <td className={e.dead ? "font-semibold text-red-800" : undefined}>{e.dead}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
