import type { Metadata } from "next";
import Link from "next/link";
import { ResolveForm } from "@/components/exceptions/resolve-form";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
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
      {rows.length === 0 ? (
        <EmptyState title="No open exceptions">Nothing needs attention right now.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
          <table className="table-dense">
            <caption className="sr-only">Open exceptions, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Order</th>
                <th scope="col">Account</th>
                <th scope="col">What happened</th>
                <th scope="col">Age</th>
                {canResolve ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr key={x.id}>
                  <td>
                    <Badge tone="amber">{exceptionKindLabel(x.kind)}</Badge>
                  </td>
                  <td className="whitespace-nowrap">
                    {x.orderId ? (
                      <Link href={`/orders/${x.orderId}`} className="link">
                        {x.orderNumber ?? x.orderId}
                      </Link>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
                  </td>
                  <td>
                    <div className="flex flex-wrap items-center gap-1.5">
                      {x.accountName}
                      <EnvironmentBadge environment={x.environment} />
                    </div>
                  </td>
                  <td className="max-w-xl text-slate-800">
                    {x.message}
                    {x.action ? (
                      <div className="mt-1">
                        <Link href={x.action.href} className="link">
                          {x.action.label}
                        </Link>
                      </div>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap text-slate-600">
                    <Age iso={x.createdAt.toISOString()} />
                  </td>
                  {canResolve ? (
                    <td>
                      <ResolveForm exceptionId={x.id} label={`${exceptionKindLabel(x.kind)}${x.orderNumber ? ` on order ${x.orderNumber}` : ""}`} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
