import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { METRICS_ROLES } from "@/lib/dashboard/nav";
import { loadHealthSeries } from "@/lib/metrics/series";
import { MetricChart } from "./chart";

export const metadata: Metadata = { title: "Integration health" };

type Props = { searchParams: Promise<{ hours?: string }> };

const WINDOWS = [6, 24, 72] as const;

export default async function MetricsPage({ searchParams }: Props) {
  await requireUser(METRICS_ROLES);
  const requested = Number((await searchParams).hours);
  const hours = WINDOWS.find((w) => w === requested) ?? 24;
  const s = await loadHealthSeries(getDb(), { hours });
  return (
    <>
      <PageHeader
        title="Integration health"
        description={`Shopify ↔ warehouse sync over the last ${hours} hours, in ${s.bucketMinutes}-minute buckets. Dashed red lines are the alert thresholds.`}
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
        </div>
      )}
    </>
  );
}
