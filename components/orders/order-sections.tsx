import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import type { OrderDetail } from "@/lib/dashboard/order-detail";

export function OrderItems({ items }: { items: OrderDetail["items"] }) {
  return (
    <Card title="Items" id="items">
      <Table
        label="Items of the order"
        rows={items}
        rowKey={(item) => String(item.position)}
        columns={[
          {
            header: "SKU",
            className: "font-mono text-xs",
            cell: (item) => (
              <>
                {item.sku}
                {item.channelSku && item.channelSku !== item.sku ? <div className="text-slate-500">channel: {item.channelSku}</div> : null}
              </>
            ),
          },
          { header: "Description", className: "text-slate-700", cell: (item) => item.description ?? "—" },
          { header: "Ordered", numeric: true, cell: (item) => item.quantity },
          { header: "Allocated", numeric: true, cell: (item) => item.allocated },
          { header: "Shipped", numeric: true, cell: (item) => item.shipped },
          {
            header: "Still to ship",
            numeric: true,
            cell: (item) => {
              const remaining = Math.max(0, item.quantity - item.shipped);
              return <span className={remaining ? "font-medium text-slate-900" : "text-slate-500"}>{remaining}</span>;
            },
          },
        ]}
      />
    </Card>
  );
}

export function ShipTo({ address }: { address: OrderDetail["shipTo"] }) {
  return (
    <Card title="Ship to" id="ship-to">
      <address className="px-4 py-3 text-sm leading-6 text-slate-800 not-italic">
        {address.name ? <div className="font-medium">{address.name}</div> : null}
        {address.company ? <div>{address.company}</div> : null}
        <div>{address.address1}</div>
        {address.address2 ? <div>{address.address2}</div> : null}
        <div>{[address.city, address.state, address.postcode].filter(Boolean).join(" ")}</div>
        <div>{address.country}</div>
        {address.email || address.phone ? (
          <div className="mt-2 border-t border-slate-100 pt-2 text-slate-600">
            {address.email ? <div>{address.email}</div> : null}
            {address.phone ? <div>{address.phone}</div> : null}
          </div>
        ) : null}
      </address>
    </Card>
  );
}

export function Handling({ order }: { order: Pick<OrderDetail, "signatureRequired" | "insurance" | "giftMessage" | "packingNote" | "holdReason"> }) {
  const rows: [string, string][] = [
    ["Signature on delivery", order.signatureRequired ? "Required" : "Not required"],
    ["Insurance", order.insurance ? "Yes" : "No"],
  ];
  if (order.giftMessage) rows.push(["Gift message", order.giftMessage]);
  if (order.packingNote) rows.push(["Packing note", order.packingNote]);
  if (order.holdReason) rows.push(["Hold reason", order.holdReason.replaceAll("_", " ")]);
  return (
    <Card title="Handling" id="handling">
      <dl className="divide-y divide-slate-100 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4 px-4 py-2">
            <dt className="text-slate-500">{label}</dt>
            <dd className="text-right text-slate-800">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
