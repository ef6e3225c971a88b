import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { METRICS_ROLES } from "@/lib/dashboard/nav";
import { feedHoldBack, type FeedHoldBack } from "@/lib/api/pagination";
import { FEED_HOLD_BACK_ALERT_SECONDS } from "@/lib/metrics/record";
import { loadHealthSeries } from "@/lib/metrics/series";
import { MetricChart } from "./chart";

export const metadata: Metadata = { title: "Integration health" };

type Props = { searchParams: Promise<{ hours?: string }> };

const WINDOWS = [6, 24, 72] as const;

export default async function MetricsPage({ searchParams }: Props) {
  await requireUser(METRICS_ROLES);
  const requested = Number((await searchParams).hours);
  const hours = WINDOWS.find((w) => w === requested) ?? 24;
  const [s, holdBack] = await Promise.all([loadHealthSeries(getDb(), { hours }), feedHoldBack(getDb())]);
  return (
    <>
      <PageHeader
        title="Integration health"
        description={`Shopify ↔ warehouse sync and the partner feeds over the last ${hours} hours, in ${s.bucketMinutes}-minute buckets. Dashed red lines are the alert thresholds.`}
        actions={
          <nav aria-label="Time window" className="flex gap-2 text-sm">
            {WINDOWS.map((w) => (
              <Link key={w} href={`/metrics?hours=${w}`} className={w === hours ? "btn-primary" : "btn-secondary"} aria-current={w === hours ? "page" : undefined}>
                {w} h
              </Link>
            ))}
          </nav>
        }
      />
      {holdBack.seconds > FEED_HOLD_BACK_ALERT_SECONDS ? <HeldFeedsAlert holdBack={holdBack} /> : null}
      {s.empty ? (
        <EmptyState title="No measurements yet">Metrics appear once Shopify orders arrive, shipments are pushed back or stock moves.</EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Order submission lag (minutes)">
            <MetricChart
              data={s.submissionLag}
              unit=" min"
              series={[
                { key: "median", label: "Median", color: "#2563eb" },
                { key: "worst", label: "Worst", color: "#f59e0b" },
              ]}
              thresholds={[
                { value: 2, label: "median alert: 2 min" },
                { value: 10, label: "any order: 10 min" },
              ]}
            />
          </Card>
          <Card title="Unmapped SKU rate (% of order lines)">
            <MetricChart data={s.unmappedRate} unit="%" series={[{ key: "rate", label: "Unmapped lines", color: "#7c3aed" }]} thresholds={[{ value: 0, label: "alert above 0%" }]} />
          </Card>
          <Card title="Inventory sync lag (seconds)">
            <MetricChart
              data={s.inventoryLag}
              unit=" s"
              series={[
                { key: "median", label: "Median push lag", color: "#0d9488" },
                { key: "worst", label: "Worst push lag", color: "#f59e0b" },
                { key: "waiting", label: "Oldest change waiting", color: "#64748b" },
              ]}
              thresholds={[{ value: s.inventoryLagThresholdSeconds, label: `2× sync interval: ${s.inventoryLagThresholdSeconds} s` }]}
            />
          </Card>
          <Card title="Fulfillment callback time (seconds)">
            <MetricChart
              data={s.fulfillmentCallback}
              unit=" s"
              series={[
                { key: "median", label: "Median", color: "#2563eb" },
                { key: "worst", label: "Worst", color: "#f59e0b" },
              ]}
            />
          </Card>
          <Card title="Shopify Admin API errors (per bucket)">
            <MetricChart
              data={s.apiErrors}
              unit=""
              series={[
                { key: "transient", label: "Transient (throttling, timeouts)", color: "#f59e0b" },
                { key: "permanent", label: "Permanent (invalid data, refused)", color: "#dc2626" },
              ]}
            />
          </Card>
          <Card
            title="Dead-letter depth"
            actions={
              <Link href="/channel-failures" className="link text-sm">
                Channel failures
              </Link>
            }
          >
            <MetricChart data={s.deadLetters} unit="" series={[{ key: "depth", label: "Items waiting for a human", color: "#dc2626" }]} thresholds={[{ value: 0, label: "alert above 0" }]} />
          </Card>
          <Card title="Partner feeds held back (seconds)">
            <MetricChart
              data={s.feedHoldBack}
              unit=" s"
              series={[{ key: "worst", label: "Oldest open transaction", color: "#64748b" }]}
              thresholds={[{ value: FEED_HOLD_BACK_ALERT_SECONDS, label: `alert: ${FEED_HOLD_BACK_ALERT_SECONDS} s` }]}
            />
          </Card>
        </div>
      )}
    </>
  );
}

/**
 * Order, shipment and inventory lists never show rows newer than the oldest open transaction (so a poller never
 * misses one). A session left open therefore freezes every partner's feed: say which one, and how to end it.
 */
function HeldFeedsAlert({ holdBack }: { holdBack: FeedHoldBack }) {
  const holder = holdBack.holder;
  return (
    <div role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">Partner feeds are held back by {Math.round(holdBack.seconds)} s</p>
      <p className="mt-1">
        Order, shipment and inventory lists show nothing newer than the oldest open database transaction, so pollers see no new changes until it ends.
      </p>
      {holder ? (
        <p className="mt-1">
          Session <span className="font-mono">{holder.pid}</span>
          {holder.application ? ` (${holder.application})` : ""}, {holder.state || "active"} since{" "}
          <Timestamp iso={holder.since} className="font-medium" />
          {holder.query ? (
            <>
              ; its last statement: <span className="font-mono">{holder.query.replace(/;\s*$/, "")}</span>
            </>
          ) : null}
          . End it (<span className="font-mono">select pg_terminate_backend({holder.pid})</span>) and set <span className="font-mono">idle_in_transaction_session_timeout</span> on the database.
        </p>
      ) : null}
    </div>
  );
}
