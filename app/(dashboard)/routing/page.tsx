import type { Metadata } from "next";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { CHANNEL_OPS_ROLES } from "@/lib/dashboard/nav";
import { listRoutingRules } from "@/lib/routing/rules";
import { listRoutingWarehouses } from "@/lib/routing/warehouses";
import { listAccountChoices, pickScope } from "@/lib/sku-map/scope";
import { ScopePicker } from "../sku-map/scope-picker";
import { RuleForm } from "./rule-form";
import { RulesTable } from "./rules-table";
import { TrialForm } from "./trial-form";
import { WarehouseForm } from "./warehouse-form";

export const metadata: Metadata = { title: "Routing" };

export default async function RoutingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser(CHANNEL_OPS_ROLES);
  const db = getDb();
  const accounts = await listAccountChoices(db);
  const scope = pickScope(await searchParams, accounts);
  if (!scope) return <EmptyState title="No accounts yet">Create an account (npm run apikey) before routing its orders.</EmptyState>;
  const [rules, warehouses] = await Promise.all([listRoutingRules(db, scope), listRoutingWarehouses(db, scope.environment)]);
  const choices = warehouses.map((w) => ({ id: w.id, name: w.name }));
  const nextPriority = String(rules.length ? rules[rules.length - 1].priority + 10 : 10);
  return (
    <>
      <PageHeader
        title="Routing"
        description="Which warehouse fulfils each order. Active rules run by priority; the first warehouse that is not paused, not over capacity and has stock for every line wins. No rules: warehouses in priority order."
        actions={<ScopePicker action="/routing" accounts={accounts} scope={scope} />}
      />
      <Card
        title={
          <>
            Rules of {scope.accountName} <EnvironmentBadge environment={scope.environment} /> ({rules.length})
          </>
        }
        className="mb-6"
      >
        <RulesTable account={scope.accountId} env={scope.environment} rules={rules} warehouses={choices} />
      </Card>
      <Card title="New rule" className="mb-6">
        <RuleForm
          key={`new-${rules.length}`}
          account={scope.accountId}
          env={scope.environment}
          warehouses={choices}
          initial={{ name: "", priority: nextPriority, active: true, countries: "", states: "", skus: "", tags: "", minOrderValue: "", maxOrderValue: "", warehouseIds: [] }}
        />
      </Card>
      <Card title="Test this rule set" className="mb-6">
        <TrialForm account={scope.accountId} env={scope.environment} />
      </Card>
      <Card title={`Warehouses (${scope.environment})`}>
        <p className="px-4 pt-3 text-xs text-slate-500">Warehouses belong to the 3PL: pausing one or capping it affects every account&apos;s routing.</p>
        <Table
          label="Warehouses"
          rows={warehouses}
          rowKey={(w) => w.id}
          columns={[
            {
              header: "Warehouse",
              cell: (w) => (
                <>
                  <span className="font-medium">{w.name}</span> <span className="font-mono text-xs text-slate-500">{w.code}</span> {w.paused ? <Badge tone="amber">Paused</Badge> : null}
                </>
              ),
            },
            { header: "Fallback priority", className: "font-mono", cell: (w) => w.priority },
            { header: "Availability", cell: (w) => <WarehouseForm id={w.id} env={scope.environment} name={w.name} paused={w.paused} dailyCapacity={w.dailyCapacity} /> },
          ]}
        />
      </Card>
    </>
  );
}
