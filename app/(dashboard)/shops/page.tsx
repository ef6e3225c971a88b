import type { Metadata } from "next";
import Link from "next/link";
import { AccountName } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { defaultAdminUrl, DEFAULT_INVENTORY_SYNC_INTERVAL_SECONDS, listConnections } from "@/lib/channels/shopify/connections";
import { inboxCounts } from "@/lib/channels/shopify/process";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { listRoutingWarehouses } from "@/lib/routing/warehouses";
import { listAccountChoices } from "@/lib/sku-map/scope";
import { ShopForm } from "./shop-form";

export const metadata: Metadata = { title: "Shops" };

export default async function ShopsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(CHANNEL_OPS_ROLES);
  const params = await searchParams;
  const db = getDb();
  const [connections, accounts, warehouseRows, counts] = await Promise.all([
    listConnections(db),
    listAccountChoices(db),
    // The location map offers the warehouses of the shop's environment, each environment's in fallback order.
    Promise.all([listRoutingWarehouses(db, "sandbox"), listRoutingWarehouses(db, "live")]),
    inboxCounts(db),
  ]);
  const warehouseChoices = warehouseRows.flat().map((w) => ({ id: w.id, name: w.name, environment: w.environment }));
  const editing = connections.find((c) => c.shopDomain === params.edit);
  return (
    <>
      <PageHeader
        title="Shops"
        description="Shopify shops connected to accounts. Their webhooks land in the webhook inbox and become hub orders; shipments and stock go back through the Admin API."
        actions={
          <Link href="/shops/inbox" className="btn-secondary">
            Webhook inbox{counts.dead ? ` · ${counts.dead} dead` : ""}
          </Link>
        }
      />
      <Card title={`Connections (${connections.length})`} className="mb-6">
        <Table
          label="Shop connections"
          rows={connections}
          rowKey={(c) => c.id}
          empty={{ title: "No shop connected", body: "Connect one below, or with npm run shop -- connect." }}
          columns={[
            {
              header: "Shop",
              className: "font-mono text-xs",
              cell: (c) => (
                <>
                  {c.shopDomain} {c.active ? null : <Badge tone="gray">Inactive</Badge>}
                </>
              ),
            },
            { header: "Account", cell: (c) => <AccountName name={c.accountName} environment={c.environment} /> },
            { header: "Admin API", className: "max-w-xs font-mono text-xs break-all", cell: (c) => c.adminUrl },
            {
              header: "Locations",
              className: "text-xs",
              cell: (c) =>
                c.locations.length
                  ? c.locations.map((l) => (
                      <div key={l.locationGid}>
                        <span className="font-mono">{l.locationGid.replace("gid://shopify/Location/", "")}</span> → {l.warehouseName}
                      </div>
                    ))
                  : "—",
            },
            { header: "Inventory sync", className: "whitespace-nowrap", cell: (c) => `every ${c.inventorySyncIntervalSeconds}s` },
            { header: "Updated", className: "whitespace-nowrap text-slate-600", cell: (c) => <Timestamp iso={c.updatedAt.toISOString()} /> },
            {
              header: "Action",
              cell: (c) => (
                <Link href={`/shops?edit=${encodeURIComponent(c.shopDomain)}#shop-form`} className="btn-secondary px-2 py-0.5 text-xs" aria-label={`Edit ${c.shopDomain}`}>
                  Edit
                </Link>
              ),
            },
          ]}
        />
      </Card>
      <Card title={editing ? `Edit ${editing.shopDomain}` : "Connect a shop"} id="shop-form">
        <ShopForm
          key={editing?.id ?? "new"}
          editing={Boolean(editing)}
          accounts={accounts.map((a) => a.name)}
          warehouses={warehouseChoices}
          defaultAdminUrl={defaultAdminUrl(editing?.shopDomain ?? "{shop}")}
          initial={
            editing
              ? {
                  shop: editing.shopDomain,
                  account: editing.accountName,
                  env: editing.environment,
                  adminUrl: editing.adminUrl === defaultAdminUrl(editing.shopDomain) ? "" : editing.adminUrl,
                  inventorySyncIntervalSeconds: String(editing.inventorySyncIntervalSeconds),
                  active: editing.active,
                  locations: editing.locations.map((l) => ({ location: l.locationGid, warehouse: l.warehouseId })),
                }
              : { shop: "", account: "", env: "sandbox", adminUrl: "", inventorySyncIntervalSeconds: String(DEFAULT_INVENTORY_SYNC_INTERVAL_SECONDS), active: true, locations: [] }
          }
        />
      </Card>
    </>
  );
}
