import Link from "next/link";
import { EnvironmentBadge, OrderStatusBadge } from "@/components/status-badge";
import { Timestamp } from "@/components/ui/time";
import type { OrderSearchRow } from "@/lib/dashboard/search";

export function OrderTable({ rows, caption }: { rows: OrderSearchRow[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="table-dense">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Reference</th>
            <th scope="col">Account</th>
            <th scope="col">Status</th>
            <th scope="col">Ship to</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.id}>
              <td>
                <Link href={`/orders/${o.id}`} className="link">
                  {o.orderNumber}
                </Link>
                <div className="font-mono text-xs text-slate-500">{o.id}</div>
              </td>
              <td className="max-w-56 truncate font-mono text-xs text-slate-700" title={o.reference}>
                {o.reference}
              </td>
              <td>
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="text-slate-800">{o.accountName}</span>
                  <EnvironmentBadge environment={o.environment} />
                </div>
                {o.channel !== "api" ? <div className="text-xs text-slate-500 capitalize">via {o.channel}</div> : null}
              </td>
              <td>
                <OrderStatusBadge status={o.status} />
              </td>
              <td className="text-slate-700">
                {o.shipToName ? <div>{o.shipToName}</div> : null}
                <div className="text-xs text-slate-500">
                  {o.shipToCity}, {o.shipToCountry}
                </div>
              </td>
              <td className="whitespace-nowrap text-slate-700">
                <Timestamp iso={o.createdAt.toISOString()} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
