import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { AccountName } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { CHANNEL_FAILURE_RETRY_ROLES, METRICS_ROLES } from "@/lib/dashboard/nav";
import { listDeadPushes } from "@/lib/channels/shopify/push/dead-letters";
import { retryPushAction } from "./actions";

export const metadata: Metadata = { title: "Channel failures" };

export default async function ChannelFailuresPage() {
  const user = await requireUser(METRICS_ROLES);
  const canRetry = hasRole(user, CHANNEL_FAILURE_RETRY_ROLES);
  const rows = await listDeadPushes(getDb());
  return (
    <>
      <PageHeader
        title="Channel failures"
        description="Pushes to Shopify (fulfillments, tracking, inventory) that failed every retry or were refused. Fix the cause, then retry."
      />
      <Card title={`Dead letters (${rows.length})`}>
        <Table
          label="Dead letters of the Shopify push"
          rows={rows}
          rowKey={(r) => r.id}
          empty={{ title: "No channel failures", body: "Every push to Shopify either succeeded or is still being retried." }}
          columns={[
            {
              header: "What",
              cell: (r) => (
                <>
                  <div>{r.subject}</div>
                  {r.orderId ? (
                    <Link href={`/orders/${r.orderId}`} className="link font-mono text-xs">
                      {r.orderId}
                    </Link>
                  ) : null}
                </>
              ),
            },
            { header: "Shop", className: "font-mono text-xs", cell: (r) => r.shopDomain },
            { header: "Account", cell: (r) => <AccountName name={r.accountName} environment={r.environment} /> },
            {
              header: "Error",
              className: "max-w-md",
              cell: (r) => (
                <>
                  <Badge tone={r.lastErrorKind === "permanent" ? "red" : "amber"}>{r.lastErrorKind ?? "unknown"}</Badge> <span className="break-words">{r.lastError}</span>
                </>
              ),
            },
            { header: "Attempts", cell: (r) => r.attempts },
            { header: "Gave up", cell: (r) => (r.deadAt ? <Timestamp iso={r.deadAt.toISOString()} /> : "—") },
            canRetry && {
              header: "Actions",
              hideHeader: true,
              cell: (r) => <ActionButton action={retryPushAction} fields={{ id: r.id }} label="Retry" pendingLabel="Retrying…" accessibleLabel={`Retry: ${r.subject}`} once />,
            },
          ]}
        />
      </Card>
    </>
  );
}
