import { and, asc, eq } from "drizzle-orm";
import type { Metadata } from "next";
import Link from "next/link";
import { EnvironmentBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { orders, skus } from "@/db/schema";
import { requireUser } from "@/lib/auth/dashboard";
import { numericIdOf } from "@/lib/channels/shopify/gid";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { findMapping } from "@/lib/sku-map/mappings";
import { listAccountChoices, pickScope } from "@/lib/sku-map/scope";
import { MappingForm } from "../mapping-form";

export const metadata: Metadata = { title: "Add SKU mapping" };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.slice(0, 300) : "");

export default async function NewSkuMappingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(CHANNEL_OPS_ROLES);
  const params = await searchParams;
  const db = getDb();
  const scope = pickScope(params, await listAccountChoices(db));
  if (!scope) return <EmptyState title="No accounts yet">Create an account (npm run apikey) before mapping its SKUs.</EmptyState>;
  const [existing, accountSkus, [order]] = await Promise.all([
    one(params.id) ? findMapping(db, scope, one(params.id)) : Promise.resolve(undefined),
    db
      .select({ id: skus.id, sku: skus.sku })
      .from(skus)
      .where(and(eq(skus.accountId, scope.accountId), eq(skus.environment, scope.environment)))
      .orderBy(asc(skus.sku))
      .limit(2000),
    one(params.order)
      ? db
          .select({ id: orders.id, orderNumber: orders.orderNumber })
          .from(orders)
          .where(and(eq(orders.id, one(params.order)), eq(orders.accountId, scope.accountId), eq(orders.environment, scope.environment)))
      : Promise.resolve([]),
  ]);
  const skuOf = new Map(accountSkus.map((s) => [s.id, s.sku]));
  const initial = existing
    ? {
        id: existing.id,
        channelSku: existing.channelSku ?? "",
        variantId: existing.variantId ? numericIdOf(existing.variantId) : "",
        accountSku: skuOf.get(existing.skuId) ?? "",
        warehouseItemCode: existing.warehouseItemCode ?? "",
        active: existing.active,
      }
    : { channelSku: one(params.channel_sku), variantId: one(params.variant_id), accountSku: "", warehouseItemCode: "", active: true };
  return (
    <>
      <PageHeader
        title={existing ? "Edit SKU mapping" : "Add SKU mapping"}
        description={
          <>
            {scope.accountName} <EnvironmentBadge environment={scope.environment} /> — Shopify variant or SKU → the account&apos;s SKU.
          </>
        }
      />
      {order ? (
        <p className="mb-3 text-sm text-slate-700">
          Order{" "}
          <Link href={`/orders/${order.id}`} className="link">
            {order.orderNumber}
          </Link>{" "}
          is on hold until this line is mapped; saving the mapping re-runs it.
        </p>
      ) : null}
      <Card title="Mapping">
        <MappingForm account={scope.accountId} env={scope.environment} initial={initial} accountSkus={accountSkus.map((s) => s.sku)} />
      </Card>
    </>
  );
}
