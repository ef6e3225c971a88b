import { Badge, type BadgeTone } from "@/components/ui/badge";

const DELIVERY: Record<string, { label: string; tone: BadgeTone }> = {
  pending: { label: "Retrying", tone: "amber" },
  succeeded: { label: "Delivered", tone: "green" },
  dead: { label: "Dead letter", tone: "red" },
  cancelled: { label: "Cancelled", tone: "gray" },
};

/** A pending delivery that has not been tried yet is "Queued"; after a failed attempt it is "Retrying". */
export function DeliveryStatusBadge({ status, attempts }: { status: string; attempts: number }) {
  if (status === "pending" && attempts === 0) return <Badge tone="blue">Queued</Badge>;
  const s = DELIVERY[status] ?? { label: status, tone: "gray" as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function EndpointStatusBadge({ status, failing }: { status: string; failing: boolean }) {
  if (status === "disabled") return <Badge tone="red">Disabled</Badge>;
  return failing ? <Badge tone="amber">Failing</Badge> : <Badge tone="green">Active</Badge>;
}

export function formatRate(rate: number | null): string {
  return rate === null ? "—" : `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
