import { AccountName } from "@/components/status-badge";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import type { EndpointHealth } from "@/lib/webhooks/dashboard";
import { EndpointStatusBadge, formatMs, formatRate } from "./badges";

/** Every endpoint with its health over the last 24 hours; a row opens the endpoint's page. */
export function EndpointTable({ rows }: { rows: EndpointHealth[] }) {
  return (
    <Table
      label="Webhook endpoints and their health over the last 24 hours"
      rows={rows}
      rowKey={(e) => e.id}
      rowHref={(e) => `/webhooks/${e.id}`}
      empty={{ title: "No webhook subscriptions", body: "Partners subscribe with POST /v1/webhooks." }}
      columns={[
        { header: "Endpoint", className: "max-w-sm break-all", cell: (e) => e.url, detail: (e) => <div className="text-xs text-slate-500">{e.events.join(", ")}</div> },
        { header: "Account", cell: (e) => <AccountName name={e.accountName} environment={e.environment} /> },
        {
          header: "Status",
          className: "max-w-xs",
          cell: (e) => (
            <>
              <EndpointStatusBadge status={e.status} failing={Boolean(e.failingSince)} />
              {e.disabledReason ? <div className="mt-1 text-xs text-red-800">{e.disabledReason}</div> : null}
            </>
          ),
        },
        {
          header: "Success (24 h)",
          cell: (e) => (
            <>
              {formatRate(e.successRate)}
              <div className="text-xs text-slate-500">{e.attempts} attempts</div>
            </>
          ),
        },
        { header: "p50 / p95", className: "whitespace-nowrap", cell: (e) => `${formatMs(e.p50Ms)} / ${formatMs(e.p95Ms)}` },
        {
          header: "Last error",
          className: "max-w-xs break-words",
          cell: (e) =>
            e.lastError ? (
              <>
                <span className="text-red-800">{e.lastError}</span>
                {e.lastErrorAt ? (
                  <div className="text-xs">
                    <Timestamp iso={e.lastErrorAt} />
                  </div>
                ) : null}
              </>
            ) : (
              <span className="text-slate-500">—</span>
            ),
        },
        { header: "Retrying", numeric: true, cell: (e) => e.pending },
        { header: "Dead", numeric: true, cell: (e) => (e.dead ? <span className="font-semibold text-red-800">{e.dead}</span> : e.dead) },
      ]}
    />
  );
}
