import { asc } from "drizzle-orm";
import type { Metadata } from "next";
import Link from "next/link";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { warehouses } from "@/db/schema";
import { requireUser } from "@/lib/auth/dashboard";
import { defaultAdminUrl, DEFAULT_INVENTORY_SYNC_INTERVAL_SECONDS, listConnections } from "@/lib/channels/shopify/connections";
import { inboxCounts } from "@/lib/channels/shopify/process";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
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
    db.select({ id: warehouses.id, name: warehouses.name, environment: warehouses.environment }).from(warehouses).orderBy(asc(warehouses.priority), asc(warehouses.name)),
    inboxCounts(db),
  ]);
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
        {connections.length ? (
          <div className="overflow-x-auto">
            <table className="table-dense" aria-label="Shop connections">
              <thead>
                <tr>
                  <th scope="col">Shop</th>
                  <th scope="col">Account</th>
                  <th scope="col">Admin API</th>
                  <th scope="col">Locations</th>
                  <th scope="col">Inventory sync</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {connections.map((c) => (
                  <tr key={c.id}>
                    <td className="font-mono text-xs">
                      {c.shopDomain} {c.active ? null : <Badge tone="gray">Inactive</Badge>}
                    </td>
                    <td>
                      <div className="flex flex-wrap items-center gap-1.5">
                        {c.accountName}
                        <EnvironmentBadge environment={c.environment} />
                      </div>
                    </td>
                    <td className="max-w-xs font-mono text-xs break-all">{c.adminUrl}</td>
                    <td className="text-xs">
                      {c.locations.length
                        ? c.locations.map((l) => (
                            <div key={l.locationGid}>
                              <span className="font-mono">{l.locationGid.replace("gid://shopify/Location/", "")}</span> → {l.warehouseName}
                            </div>
                          ))
                        : "—"}
                    </td>
                    <td className="whitespace-nowrap">every {c.inventorySyncIntervalSeconds}s</td>
                    <td className="whitespace-nowrap text-slate-600">
                      <Timestamp iso={c.updatedAt.toISOString()} />
                    </td>
                    <td>
                      <Link href={`/shops?edit=${encodeURIComponent(c.shopDomain)}#shop-form`} className="btn-secondary px-2 py-0.5 text-xs" aria-label={`Edit ${c.shopDomain}`}>
                        Edit
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <div className="p-4">
            <EmptyState title="No shop connected">Connect one below, or with npm run shop -- connect.</EmptyState>
          </div>
        )}
      </Card>
      <Card title={editing ? `Edit ${editing.shopDomain}` : "Connect a shop"} id="shop-form">
        <ShopForm
          key={editing?.id ?? "new"}
          editing={Boolean(editing)}
          accounts={accounts.map((a) => a.name)}
          warehouses={warehouseRows}
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
