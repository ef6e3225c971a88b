import type { Metadata } from "next";
import { OrderSearchForm, type SearchValues } from "@/components/orders/search-form";
import { OrderTable } from "@/components/orders/order-table";
import { orderStatuses } from "@/components/status-badge";
import { PageHeader } from "@/components/ui/card";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import type { Order } from "@/db/schema";
import { requireUser } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { listAccounts, searchOrders } from "@/lib/dashboard/search";
import { loadWarehouseDays } from "@/lib/overview/warehouses";

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
  // The overview's warehouse tile links here: one warehouse's open orders due by today's cut-off.
  const warehouseId = one(params.warehouse) || undefined;
  const dueToday = Boolean(warehouseId) && one(params.due) === "today";
  const db = getDb();
  const [accounts, result, [warehouse]] = await Promise.all([
    listAccounts(db),
    searchOrders(db, {
      q: values.q,
      accountId: values.account || undefined,
      environment: (values.env || undefined) as "live" | "sandbox" | undefined,
      status: (values.status || undefined) as Order["status"] | undefined,
      warehouseId,
      dueToday,
    }),
    warehouseId ? loadWarehouseDays(db, new Date(), { warehouseIds: [warehouseId] }) : Promise.resolve([]),
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
      {warehouse ? (
        <p className="mb-3 text-sm text-slate-700" role="status">
          {dueToday ? (
            <>
              <strong data-testid="due-count">{warehouse.dueOpen}</strong> open {warehouse.dueOpen === 1 ? "order" : "orders"} at {warehouse.name} due to ship{" "}
              {warehouse.cutoffTime ? `by today's ${warehouse.cutoffTime} cut-off (${warehouse.timeZone})` : "(no cut-off set)"}.{" "}
            </>
          ) : (
            <>Orders at {warehouse.name}. </>
          )}
          <Link href="/orders" className="link">
            Show every order
          </Link>
        </p>
      ) : null}
      {result.rows.length === 0 ? (
        <EmptyState title={values.q ? `No orders match “${values.q}”` : warehouse ? `No orders here for ${warehouse.name}` : "No orders yet"}>
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
