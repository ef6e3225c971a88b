import { Badge, type BadgeTone } from "@/components/ui/badge";

type Style = { label: string; tone: BadgeTone };

const ORDER: Record<string, Style> = {
  received: { label: "Received", tone: "blue" },
  processing: { label: "Processing", tone: "indigo" },
  partially_shipped: { label: "Partially shipped", tone: "teal" },
  shipped: { label: "Shipped", tone: "green" },
  on_hold: { label: "On hold", tone: "amber" },
  backordered: { label: "Backordered", tone: "orange" },
  cancelled: { label: "Cancelled", tone: "gray" },
};

const SHIPMENT: Record<string, Style> = {
  shipped: { label: "Shipped", tone: "blue" },
  in_transit: { label: "In transit", tone: "indigo" },
  out_for_delivery: { label: "Out for delivery", tone: "violet" },
  delivered: { label: "Delivered", tone: "green" },
  exception: { label: "Carrier exception", tone: "red" },
  voided: { label: "Voided", tone: "gray" },
};

function fallback(status: string): Style {
  return { label: status.replaceAll("_", " "), tone: "gray" };
}

export const orderStatuses = Object.keys(ORDER);

export function orderStatusLabel(status: string): string {
  return (ORDER[status] ?? fallback(status)).label;
}

export function OrderStatusBadge({ status }: { status: string }) {
  const s = ORDER[status] ?? fallback(status);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function ShipmentStatusBadge({ status }: { status: string }) {
  const s = SHIPMENT[status] ?? fallback(status);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** Any canonical status on a timeline event: order statuses first, then shipment statuses. */
export function CanonicalStatusBadge({ status }: { status: string }) {
  const s = ORDER[status] ?? SHIPMENT[status] ?? fallback(status);
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function EnvironmentBadge({ environment }: { environment: string }) {
  return environment === "live" ? <Badge tone="green">Live</Badge> : <Badge tone="amber">Sandbox</Badge>;
}

/** Whose row it is in a list: the account's name and the environment it works in. */
export function AccountName({ name, environment }: { name: string; environment: string }) {
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {name}
      <EnvironmentBadge environment={environment} />
    </div>
  );
}
