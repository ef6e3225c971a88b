import { EnvironmentBadge, OrderStatusBadge } from "@/components/status-badge";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import type { OrderSearchRow } from "@/lib/dashboard/search";

export function OrderTable({ rows, caption }: { rows: OrderSearchRow[]; caption: string }) {
  return (
    <Table
      label={caption}
      framed
      rows={rows}
      rowKey={(o) => o.id}
      rowHref={(o) => `/orders/${o.id}`}
      columns={[
        { header: "Order", cell: (o) => o.orderNumber, detail: (o) => <div className="font-mono text-xs text-slate-500">{o.id}</div> },
        {
          header: "Reference",
          className: "max-w-56 truncate font-mono text-xs text-slate-700",
          cell: (o) => <span title={o.reference}>{o.reference}</span>,
        },
        {
          header: "Account",
          cell: (o) => (
            <>
              <div className="flex flex-wrap items-center gap-1.5">
                <span className="text-slate-800">{o.accountName}</span>
                <EnvironmentBadge environment={o.environment} />
              </div>
              {o.channel !== "api" ? <div className="text-xs text-slate-500 capitalize">via {o.channel}</div> : null}
            </>
          ),
        },
        { header: "Status", cell: (o) => <OrderStatusBadge status={o.status} /> },
        {
          header: "Ship to",
          className: "text-slate-700",
          cell: (o) => (
            <>
              {o.shipToName ? <div>{o.shipToName}</div> : null}
              <div className="text-xs text-slate-500">
                {o.shipToCity}, {o.shipToCountry}
              </div>
            </>
          ),
        },
        { header: "Created", className: "whitespace-nowrap text-slate-700", cell: (o) => <Timestamp iso={o.createdAt.toISOString()} /> },
      ]}
    />
  );
}
