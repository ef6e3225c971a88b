import clsx from "clsx";
import { CanonicalStatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Timestamp } from "@/components/ui/time";
import type { TimelineItem } from "@/lib/dashboard/order-detail";

const SOURCE_LABELS: Record<string, string> = {
  api: "Partner API",
  sandbox: "Sandbox",
  wms: "Warehouse (WMS)",
  carrier: "Carrier",
  shopify: "Shopify",
  dashboard: "Dashboard",
  system: "Hub",
};

/** Newest first: what happened, when, where it came from, how its raw status was read, and who did it. */
export function Timeline({ events }: { events: TimelineItem[] }) {
  if (!events.length) return <p className="px-4 py-3 text-sm text-slate-500">No events recorded.</p>;
  return (
    <ol className="divide-y divide-slate-100">
      {events.map((e) => (
        <li key={e.id} className={clsx("grid gap-1 px-4 py-2.5 text-sm sm:grid-cols-[13rem_1fr]", e.stale && "bg-amber-50/60")}>
          <div className="text-xs text-slate-600">
            <Timestamp iso={e.occurredAt} />
            {Math.abs(new Date(e.recordedAt).getTime() - new Date(e.occurredAt).getTime()) > 60_000 ? (
              <div className="text-slate-600">
                recorded <Timestamp iso={e.recordedAt} relative={false} />
              </div>
            ) : null}
          </div>
          <div>
            <p className="text-slate-900">{e.message}</p>
            <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-600">
              <Badge tone="gray">{SOURCE_LABELS[e.source] ?? e.source}</Badge>
              {e.rawStatus || e.status ? (
                <span className="inline-flex items-center gap-1">
                  {e.rawStatus ? <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px] text-slate-700">{e.rawStatus}</code> : null}
                  {e.rawStatus && e.status ? (
                    <>
                      <span aria-hidden="true" className="text-slate-600">
                        →
                      </span>
                      <span className="sr-only">mapped to</span>
                    </>
                  ) : null}
                  {e.status ? <CanonicalStatusBadge status={e.status} /> : null}
                </span>
              ) : null}
              {e.stale ? (
                <Badge tone="amber" title="Arrived after a newer event; recorded but not applied">
                  Stale — not applied
                </Badge>
              ) : null}
              {e.actor ? <span className="text-slate-500">by {e.actor}</span> : null}
              <span className="text-slate-600">{e.type.replaceAll("_", " ").replaceAll(".", " ")}</span>
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
