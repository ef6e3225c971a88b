import type { Metadata } from "next";
import { OrderSearchForm, type SearchValues } from "@/components/orders/search-form";
import { OrderTable } from "@/components/orders/order-table";
import { orderStatuses } from "@/components/status-badge";
import { PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import type { Order } from "@/db/schema";
import { requireUser } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { listAccounts, searchOrders } from "@/lib/dashboard/search";

export const metadata: Metadata = { title: "Orders" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim().slice(0, 200) ?? "";
}

export default async function OrdersPage({ searchParams }: Props) {
  await requireUser(ALL_ROLES);
  const params = await searchParams;
  const values: SearchValues = {
    q: one(params.q),
    account: one(params.account),
    env: ["live", "sandbox"].includes(one(params.env)) ? one(params.env) : "",
    status: orderStatuses.includes(one(params.status)) ? one(params.status) : "",
  };
  const db = getDb();
  const [accounts, result] = await Promise.all([
    listAccounts(db),
    searchOrders(db, {
      q: values.q,
      accountId: values.account || undefined,
      environment: (values.env || undefined) as "live" | "sandbox" | undefined,
      status: (values.status || undefined) as Order["status"] | undefined,
    }),
  ]);

  const heading =
    result.matchedBy === "recent"
      ? "Most recent orders"
      : result.matchedBy === "contains"
        ? `No exact match for “${values.q}”; orders containing it`
        : `Results for “${values.q}”`;

  return (
    <>
      <PageHeader title="Orders" description="Find any order across every account and environment, then open it for the full story." />
      <OrderSearchForm values={values} accounts={accounts} />
      {result.rows.length === 0 ? (
        <EmptyState title={values.q ? `No orders match “${values.q}”` : "No orders yet"}>
          {values.q
            ? "Order ids, shipment ids and tracking numbers must match exactly; order numbers and references match from the start. Check the filters too."
            : "Orders appear here as soon as a partner or a channel sends one."}
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {heading} · {result.rows.length === 50 ? "first 50" : result.rows.length} {result.rows.length === 1 ? "order" : "orders"}
          </p>
          <OrderTable rows={result.rows} caption={heading} />
        </>
      )}
    </>
  );
}
