"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EnvironmentBadge, OrderStatusBadge } from "@/components/status-badge";
import { Card } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/time";
import { OrderItems, ShipTo, Handling } from "@/components/orders/order-sections";
import { ShipmentList } from "@/components/orders/shipment-list";
import { Timeline } from "@/components/orders/timeline";
import type { OrderDetail } from "@/lib/dashboard/order-detail";

export const REFRESH_MS = 5_000;

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function fetchOrder(id: string): Promise<OrderDetail> {
  const response = await fetch(`/api/dashboard/orders/${encodeURIComponent(id)}`, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok) throw new HttpError(response.status);
  return (await response.json()) as OrderDetail;
}

function RefreshState({ updatedAt, error }: { updatedAt: number; error: unknown }) {
  if (error instanceof HttpError && error.status === 401) {
    return (
      <p role="alert" className="text-sm text-red-700">
        Your session has ended.{" "}
        <Link className="link" href="/login">
          Sign in again
        </Link>{" "}
        to keep this page live.
      </p>
    );
  }
  if (error) {
    return (
      <p role="status" className="text-xs text-amber-700">
        Could not refresh; showing the last known state. Retrying…
      </p>
    );
  }
  return (
    <p role="status" className="flex items-center gap-1.5 text-xs text-slate-500">
      <span aria-hidden="true" className="size-2 rounded-full bg-emerald-500" />
      Live · checked <Timestamp iso={new Date(updatedAt).toISOString()} relative={false} />
    </p>
  );
}

/** The support view of one order, kept live by polling its JSON route every few seconds. */
export function OrderView({ initial }: { initial: OrderDetail }) {
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ["dashboard-order", initial.id],
    queryFn: () => fetchOrder(initial.id),
    initialData: initial,
    refetchInterval: (query) => (query.state.error instanceof HttpError && query.state.error.status === 401 ? false : REFRESH_MS),
    refetchIntervalInBackground: false,
  });
  const order = data ?? initial;

  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/orders" className="link">
          Orders
        </Link>
        <span aria-hidden="true" className="px-1.5 text-slate-500">
          /
        </span>
        <span className="text-slate-600">{order.orderNumber}</span>
      </nav>

      <header className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-xl font-semibold tracking-tight text-slate-900">Order {order.orderNumber}</h1>
              <OrderStatusBadge status={order.status} />
              <EnvironmentBadge environment={order.environment} />
            </div>
            <p className="mt-1 text-sm text-slate-600">
              {order.accountName}
              {order.channel !== "api" ? <span className="capitalize"> · via {order.channel}</span> : " · via API"}
            </p>
          </div>
          <RefreshState updatedAt={dataUpdatedAt} error={error} />
        </div>
        <p data-testid="plain-status" className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-base leading-relaxed text-slate-900">
          {order.plainStatus}
        </p>
        <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-xs text-slate-500">Reference</dt>
            <dd className="font-mono text-xs break-all text-slate-800">{order.reference}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Order id</dt>
            <dd className="font-mono text-xs text-slate-800">{order.id}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Ordered</dt>
            <dd className="text-slate-800">
              <Timestamp iso={order.orderDate} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Warehouse · method</dt>
            <dd className="text-slate-800">
              {order.warehouse?.name ?? "Not assigned"} · {order.shippingMethod ? `${order.shippingMethod.carrierName} ${order.shippingMethod.name}` : "default method"}
            </dd>
          </div>
        </dl>
      </header>

      {order.openExceptions.length ? (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p className="font-semibold">
            {order.openExceptions.length === 1 ? "An open exception needs attention" : `${order.openExceptions.length} open exceptions need attention`}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {order.openExceptions.map((x) => (
              <li key={x.id}>{x.message}</li>
            ))}
          </ul>
          <Link href="/exceptions" className="link mt-1 inline-block">
            Go to exceptions
          </Link>
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <div className="space-y-5 lg:col-span-2">
          <OrderItems items={order.items} />
          <ShipmentList shipments={order.shipments} />
        </div>
        <div className="space-y-5">
          <ShipTo address={order.shipTo} />
          <Handling order={order} />
        </div>
      </div>

      <Card title={`Timeline (${order.timeline.length})`} id="timeline">
        <Timeline events={order.timeline} />
      </Card>
    </div>
  );
}
