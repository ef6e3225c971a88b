import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import { Age, Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { numericIdOf } from "@/lib/channels/shopify/gid";
import { listUnmappedLines } from "@/lib/channels/shopify/sku-map";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { SKU_MAP_CSV_HEADER } from "@/lib/sku-map/csv";
import { listMappings } from "@/lib/sku-map/mappings";
import { listAccountChoices, pickScope } from "@/lib/sku-map/scope";
import { ImportForm } from "./import-form";
import { mappingRowAction } from "./actions";
import { ScopePicker } from "./scope-picker";

export const metadata: Metadata = { title: "SKU map" };

const PAGE = 100;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.slice(0, 200) : "");

export default async function SkuMapPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(CHANNEL_OPS_ROLES);
  const params = await searchParams;
  const db = getDb();
  const accounts = await listAccountChoices(db);
  const scope = pickScope(params, accounts);
  if (!scope) return <EmptyState title="No accounts yet">Create an account (npm run apikey) before mapping its SKUs.</EmptyState>;
  const q = one(params.q);
  const needsVerification = one(params.needs_verification) === "1";
  const offset = Math.max(0, Number.parseInt(one(params.offset) || "0", 10) || 0);
  const [{ rows, total }, waiting] = await Promise.all([listMappings(db, scope, { q, needsVerification, limit: PAGE, offset }), listUnmappedLines(db, scope)]);
  const base = `account=${encodeURIComponent(scope.accountId)}&env=${scope.environment}`;
  const pageHref = (o: number) => `/sku-map?${base}${q ? `&q=${encodeURIComponent(q)}` : ""}${needsVerification ? "&needs_verification=1" : ""}&offset=${o}`;

  return (
    <>
      <PageHeader
        title="SKU map"
        description="Which account SKU each Shopify variant or SKU is. An order with one unmapped line waits on hold, whole, until its mapping exists."
        actions={
          <div className="flex flex-wrap items-end gap-3">
            <ScopePicker action="/sku-map" accounts={accounts} scope={scope} />
            <Link href={`/sku-map/new?${base}`} className="btn-primary">
              Add mapping
            </Link>
          </div>
        }
      />

      {waiting.length ? (
        <Card title={`Waiting for a mapping (${waiting.length})`} className="mb-6 border-amber-300" id="unmapped">
          <Table
            label="Lines waiting for a mapping"
            rows={waiting}
            rowKey={(w) => `${w.exceptionId}-${w.channelSku}-${w.variantId}`}
            columns={[
              {
                header: "Order",
                cell: (w) =>
                  w.orderId ? (
                    <Link href={`/orders/${w.orderId}`} className="link">
                      {w.orderNumber ?? w.orderId}
                    </Link>
                  ) : (
                    "—"
                  ),
              },
              { header: "Shopify SKU", className: "font-mono text-xs", cell: (w) => w.channelSku ?? "—" },
              { header: "Variant", className: "font-mono text-xs", cell: (w) => (w.variantId ? numericIdOf(w.variantId) : "—") },
              { header: "Item", cell: (w) => w.title ?? "" },
              { header: "Waiting", className: "whitespace-nowrap text-slate-600", cell: (w) => <Age iso={w.createdAt.toISOString()} /> },
              {
                header: "Fix",
                cell: (w) => (
                  <Link href={w.href} className="link">
                    Add this mapping
                  </Link>
                ),
              },
            ]}
          />
        </Card>
      ) : null}

      <Card title="Import and export" className="mb-6">
        <ImportForm account={scope.accountId} env={scope.environment} header={SKU_MAP_CSV_HEADER} />
        <div className="border-t border-slate-200 px-4 py-3 text-sm">
          <a href={`/sku-map/export?${base}`} className="link" download>
            Export this map as CSV
          </a>
        </div>
      </Card>

      <Card
        title={
          <>
            Mappings of {scope.accountName} <EnvironmentBadge environment={scope.environment} /> ({total})
          </>
        }
        actions={
          <form method="get" action="/sku-map" className="flex flex-wrap items-center gap-2" role="search">
            <input type="hidden" name="account" value={scope.accountId} />
            <input type="hidden" name="env" value={scope.environment} />
            <label htmlFor="sku-map-q" className="sr-only">
              Search mappings
            </label>
            <input id="sku-map-q" name="q" defaultValue={q} placeholder="SKU, variant or item code" className="field-input w-56 max-w-full" />
            <label className="flex items-center gap-1 text-xs text-slate-600">
              <input type="checkbox" name="needs_verification" value="1" defaultChecked={needsVerification} /> Needs verification
            </label>
            <button type="submit" className="btn-secondary">
              Search
            </button>
          </form>
        }
      >
        <Table
          label="SKU mappings"
          rows={rows}
          rowKey={(m) => m.id}
          empty={{
            title: q || needsVerification ? "No mapping matches" : "No mappings yet",
            body: (
              <>
                Add one, or import a CSV with the header <code className="font-mono break-all">{SKU_MAP_CSV_HEADER}</code>.
              </>
            ),
          }}
          columns={[
            { header: "Shopify SKU", className: "font-mono text-xs", cell: (m) => m.channelSku ?? "—" },
            { header: "Variant", className: "font-mono text-xs", cell: (m) => (m.variantId ? numericIdOf(m.variantId) : "—") },
            { header: "Account SKU", className: "font-mono text-xs", cell: (m) => m.sku },
            { header: "Warehouse item code", className: "font-mono text-xs", cell: (m) => m.warehouseItemCode ?? "—" },
            {
              header: "State",
              cell: (m) => (
                <div className="flex flex-wrap gap-1">
                  {m.active ? <Badge tone="green">Active</Badge> : <Badge tone="gray">Inactive</Badge>}
                  {m.needsVerification ? <Badge tone="amber">Needs verification</Badge> : null}
                </div>
              ),
            },
            { header: "Last verified", className: "whitespace-nowrap text-slate-600", cell: (m) => (m.lastVerifiedAt ? <Timestamp iso={m.lastVerifiedAt.toISOString()} /> : "never") },
            {
              header: "Actions",
              cell: (m) => {
                const name = m.channelSku ?? (m.variantId ? numericIdOf(m.variantId) : m.id);
                const fields = { id: m.id, account: scope.accountId, env: scope.environment };
                return (
                  <div className="flex flex-wrap items-center gap-1">
                    <Link href={`/sku-map/new?${base}&id=${m.id}`} className="btn-secondary px-2 py-0.5 text-xs" aria-label={`Edit mapping ${name}`}>
                      Edit
                    </Link>
                    {m.needsVerification ? (
                      <ActionButton action={mappingRowAction} fields={{ ...fields, op: "verify" }} label="Verify" accessibleLabel={`Verify mapping ${name}`} look="small" />
                    ) : null}
                    <ActionButton
                      action={mappingRowAction}
                      fields={{ ...fields, op: m.active ? "deactivate" : "activate" }}
                      label={m.active ? "Deactivate" : "Activate"}
                      accessibleLabel={`${m.active ? "Deactivate" : "Activate"} mapping ${name}`}
                      look="small"
                    />
                  </div>
                );
              },
            },
          ]}
        />
        {total > PAGE ? (
          <nav aria-label="Pages" className="flex items-center gap-3 px-4 py-2 text-sm">
            {offset > 0 ? (
              <Link href={pageHref(Math.max(0, offset - PAGE))} className="link">
                Previous
              </Link>
            ) : null}
            <span className="text-slate-500">
              {offset + 1}–{Math.min(total, offset + PAGE)} of {total}
            </span>
            {offset + PAGE < total ? (
              <Link href={pageHref(offset + PAGE)} className="link">
                Next
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
