import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
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
        {rows.length ? (
          <div className="overflow-x-auto">
            <table className="table-dense">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Shop</th>
                  <th scope="col">Account</th>
                  <th scope="col">Error</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Gave up</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <div>{r.subject}</div>
                      {r.orderId ? (
                        <Link href={`/orders/${r.orderId}`} className="link font-mono text-xs">
                          {r.orderId}
                        </Link>
                      ) : null}
                    </td>
                    <td className="font-mono text-xs">{r.shopDomain}</td>
                    <td>
                      {r.accountName} <EnvironmentBadge environment={r.environment} />
                    </td>
                    <td className="max-w-md">
                      <Badge tone={r.lastErrorKind === "permanent" ? "red" : "amber"}>{r.lastErrorKind ?? "unknown"}</Badge>{" "}
                      <span className="break-words">{r.lastError}</span>
                    </td>
                    <td>{r.attempts}</td>
                    <td>{r.deadAt ? <Timestamp iso={r.deadAt.toISOString()} /> : "—"}</td>
                    <td>{canRetry ? <ActionButton action={retryPushAction} fields={{ id: r.id }} label="Retry" pendingLabel="Retrying…" accessibleLabel={`Retry: ${r.subject}`} once /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <div className="p-4">
            <EmptyState title="No channel failures">Every push to Shopify either succeeded or is still being retried.</EmptyState>
          </div>
        )}
      </Card>
    </>
  );
}
