import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import type { ShopifyWebhookDelivery } from "@/db/schema";
import { requireUser } from "@/lib/auth/dashboard";
import { inboxCounts, listDeliveries } from "@/lib/channels/shopify/process";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { retryDeliveryAction } from "../actions";

export const metadata: Metadata = { title: "Shopify webhook inbox" };

type State = ShopifyWebhookDelivery["state"];
const STATES: State[] = ["pending", "processed", "ignored", "dead"];
const TONE: Record<State, BadgeTone> = { pending: "blue", processed: "green", ignored: "gray", dead: "red" };

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(CHANNEL_OPS_ROLES);
  const params = await searchParams;
  const state = STATES.find((s) => s === params.state);
  const db = getDb();
  const [rows, counts] = await Promise.all([listDeliveries(db, { state, limit: 200 }), inboxCounts(db)]);
  return (
    <>
      <PageHeader
        title="Shopify webhook inbox"
        description="Every verified webhook, stored before Shopify got its 200, then processed by the worker. Failures are retried with backoff; a dead one waits here for a retry."
        actions={
          <nav aria-label="Filter by state" className="flex flex-wrap gap-1 text-sm">
            <Link href="/shops/inbox" className={state ? "btn-secondary" : "btn-primary"}>
              All
            </Link>
            {STATES.map((s) => (
              <Link key={s} href={`/shops/inbox?state=${s}`} className={state === s ? "btn-primary" : "btn-secondary"}>
                {s} ({counts[s]})
              </Link>
            ))}
          </nav>
        }
      />
      <Table
        label="Webhook deliveries, newest first"
        framed
        rows={rows}
        rowKey={(d) => d.id}
        rowId={(d) => d.id}
        empty={{ title: state ? `No ${state} deliveries` : "No webhooks yet", body: "Connected shops' webhooks appear here as they arrive." }}
        columns={[
          { header: "Received", className: "whitespace-nowrap", cell: (d) => <Timestamp iso={d.receivedAt.toISOString()} /> },
          { header: "Topic", className: "font-mono text-xs", cell: (d) => d.topic },
          {
            header: "Shop",
            cell: (d) => (
              <>
                <div className="font-mono text-xs">{d.shopDomain}</div>
                <div className="flex items-center gap-1 text-xs text-slate-500">
                  {d.accountName} <EnvironmentBadge environment={d.environment} />
                </div>
              </>
            ),
          },
          { header: "State", cell: (d) => <Badge tone={TONE[d.state]}>{d.state === "pending" && d.lastError ? "retrying" : d.state}</Badge> },
          { header: "Attempts", numeric: true, cell: (d) => d.attempts },
          {
            header: "Outcome",
            className: "max-w-md text-xs",
            cell: (d) => (
              <>
                {d.orderId ? (
                  <Link href={`/orders/${d.orderId}`} className="link">
                    {d.outcome?.replaceAll("_", " ") ?? "order"}
                  </Link>
                ) : (
                  d.outcome?.replaceAll("_", " ")
                )}
                {d.lastError ? <div className="text-red-700">{d.lastError}</div> : null}
              </>
            ),
          },
          {
            header: "Action",
            cell: (d) =>
              d.state === "dead" || (d.state === "pending" && d.lastError) ? (
                <ActionButton action={retryDeliveryAction} fields={{ id: d.id }} label="Retry" pendingLabel="Retrying…" accessibleLabel={`Retry ${d.topic} from ${d.shopDomain}`} once />
              ) : null,
          },
        ]}
      />
    </>
  );
}
