import type { Metadata } from "next";
import Link from "next/link";
import { ResolveForm } from "@/components/exceptions/resolve-form";
import { AccountName } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Age } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { exceptionKindLabel, listOpenExceptions } from "@/lib/dashboard/exceptions";
import { ALL_ROLES, RESOLVE_EXCEPTION_ROLES } from "@/lib/dashboard/nav";

export const metadata: Metadata = { title: "Exceptions" };

export default async function ExceptionsPage() {
  const user = await requireUser(ALL_ROLES);
  const canResolve = hasRole(user, RESOLVE_EXCEPTION_ROLES);
  const rows = await listOpenExceptions(getDb());
  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Everything that needs a person: orders that could not be routed, declined cancellations, unmapped products. Oldest first."
      />
      <Table
        label="Open exceptions, oldest first"
        framed
        rows={rows}
        rowKey={(x) => x.id}
        empty={{ title: "No open exceptions", body: "Nothing needs attention right now." }}
        columns={[
          { header: "Kind", cell: (x) => <Badge tone="amber">{exceptionKindLabel(x.kind)}</Badge> },
          {
            header: "Order",
            className: "whitespace-nowrap",
            cell: (x) =>
              x.orderId ? (
                <Link href={`/orders/${x.orderId}`} className="link">
                  {x.orderNumber ?? x.orderId}
                </Link>
              ) : (
                <span className="text-slate-500">—</span>
              ),
          },
          { header: "Account", cell: (x) => <AccountName name={x.accountName} environment={x.environment} /> },
          {
            header: "What happened",
            className: "max-w-xl text-slate-800",
            cell: (x) => (
              <>
                {x.message}
                {x.action ? (
                  <div className="mt-1">
                    <Link href={x.action.href} className="link">
                      {x.action.label}
                    </Link>
                  </div>
                ) : null}
              </>
            ),
          },
          { header: "Age", className: "whitespace-nowrap text-slate-600", cell: (x) => <Age iso={x.createdAt.toISOString()} /> },
          canResolve && {
            header: "Action",
            cell: (x) => <ResolveForm exceptionId={x.id} label={`${exceptionKindLabel(x.kind)}${x.orderNumber ? ` on order ${x.orderNumber}` : ""}`} />,
          },
        ]}
      />
    </>
  );
}
