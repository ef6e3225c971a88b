import clsx from "clsx";
import { ShipmentStatusBadge } from "@/components/status-badge";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import type { OrderDetail } from "@/lib/dashboard/order-detail";

function weight(parcel: OrderDetail["shipments"][number]["parcels"][number]): string {
  return parcel.weight ? `${parcel.weight.value} ${parcel.weight.unit}` : "—";
}

export function ShipmentList({ shipments }: { shipments: OrderDetail["shipments"] }) {
  const parcels = shipments.filter((s) => !s.voided).reduce((n, s) => n + s.parcels.length, 0);
  return (
    <Card title={shipments.length ? `Shipments (${shipments.length}) · ${parcels} ${parcels === 1 ? "parcel" : "parcels"}` : "Shipments"} id="shipments">
      {shipments.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">Nothing has shipped yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200">
          {shipments.map((s, i) => (
            <li key={s.id} aria-label={`Shipment ${i + 1}`} className={clsx("px-4 py-3", s.voided && "bg-slate-50 text-slate-500")}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-medium text-slate-900">Shipment {i + 1}</span>
                  <ShipmentStatusBadge status={s.status} />
                  <span className="font-mono text-xs text-slate-500">{s.id}</span>
                </div>
                <div className="text-xs text-slate-600">
                  Shipped <Timestamp iso={s.shipped_at} />
                  {s.warehouseName ? ` from ${s.warehouseName}` : ""}
                  {s.cost ? ` · ${s.cost.amount} ${s.cost.currency}` : ""}
                </div>
              </div>
              {s.statusAt && s.status !== "shipped" && !s.voided ? (
                <p className="mt-1 text-xs text-slate-600">
                  Last carrier update: <Timestamp iso={s.statusAt} />
                </p>
              ) : null}
              <div className="mt-2">
                <Table
                  label={`Parcels of shipment ${i + 1}`}
                  framed
                  rows={s.parcels}
                  rowKey={(p) => p.tracking_number}
                  columns={[
                    {
                      header: "Tracking number",
                      className: "font-mono text-xs",
                      cell: (p) =>
                        p.tracking_url && !s.voided ? (
                          <a href={p.tracking_url} target="_blank" rel="noopener noreferrer" className="link">
                            {p.tracking_number}
                            <span className="sr-only"> (opens the carrier&apos;s tracking page in a new tab)</span>
                            <span aria-hidden="true"> ↗</span>
                          </a>
                        ) : (
                          p.tracking_number
                        ),
                    },
                    { header: "Carrier", cell: (p) => p.carrier ?? "—" },
                    { header: "Service", cell: (p) => p.service ?? "—" },
                    { header: "Weight", className: "tabular-nums", cell: (p) => weight(p) },
                  ]}
                />
              </div>
              {s.items.length ? (
                <p className="mt-2 text-xs text-slate-600">
                  Contains: {s.items.map((it) => `${it.quantity} × ${it.sku}`).join(", ")}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
