import type { Metadata } from "next";
import Link from "next/link";
import { EnvironmentBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { loadMappingEditor } from "@/lib/sku-map/editor";
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
  const { mapping, accountSkus, heldOrder } = await loadMappingEditor(db, scope, { mappingId: one(params.id) || undefined, orderId: one(params.order) || undefined });
  const initial = mapping ?? { channelSku: one(params.channel_sku), variantId: one(params.variant_id), accountSku: "", warehouseItemCode: "", active: true };
  return (
    <>
      <PageHeader
        title={mapping ? "Edit SKU mapping" : "Add SKU mapping"}
        description={
          <>
            {scope.accountName} <EnvironmentBadge environment={scope.environment} /> — Shopify variant or SKU → the account&apos;s SKU.
          </>
        }
      />
      {heldOrder ? (
        <p className="mb-3 text-sm text-slate-700">
          Order{" "}
          <Link href={`/orders/${heldOrder.id}`} className="link">
            {heldOrder.orderNumber}
          </Link>{" "}
          is on hold until this line is mapped; saving the mapping re-runs it.
        </p>
      ) : null}
      <Card title="Mapping">
        <MappingForm account={scope.accountId} env={scope.environment} initial={initial} accountSkus={accountSkus} />
      </Card>
    </>
  );
}
