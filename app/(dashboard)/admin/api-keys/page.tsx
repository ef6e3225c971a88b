import type { Metadata } from "next";
import { ActionButton } from "@/components/action-button";
import { EnvironmentBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { ADMIN_ROLES } from "@/lib/auth/admin-actions";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requireUser } from "@/lib/auth/dashboard";
import { listAccountChoices } from "@/lib/sku-map/scope";
import { revokeKeyAction } from "./actions";
import { IssueKeyForm } from "./issue-key-form";

export const metadata: Metadata = { title: "API keys" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ApiKeysPage({ searchParams }: Props) {
  await requireUser(ADMIN_ROLES);
  const params = await searchParams;
  const db = getDb();
  const accounts = await listAccountChoices(db);
  const account = accounts.find((a) => a.id === params.account);
  const keys = await listApiKeys(db, { accountId: account?.id });
  return (
    <>
      <PageHeader title="API keys" description="Keys partners and warehouses call the API with. A revoked key is refused from its next request." />
      <Card
        title={`${account ? `Keys of ${account.name}` : "Keys of every account"} (${keys.length})`}
        className="mb-6"
        actions={
          // A plain GET form: the list is filtered before any script has loaded.
          <form method="get" action="/admin/api-keys" className="flex max-w-full flex-wrap items-end gap-2" aria-label="Filter by account">
            <SelectField
              id="keys-account"
              name="account"
              label="Account"
              // A fixed width: a long account name must not widen the page on a phone.
              className="w-56 max-w-full"
              defaultValue={account?.id ?? ""}
              choices={[{ value: "", label: "Every account" }, ...accounts.map((a) => ({ value: a.id, label: a.name }))]}
            />
            <button type="submit" className="btn-secondary">
              Show
            </button>
          </form>
        }
      >
        <Table
          label="API keys"
          rows={keys}
          rowKey={(k) => k.id}
          empty={{ title: account ? `${account.name} has no keys` : "No API keys yet", body: "Issue one below, or with npm run apikey." }}
          columns={[
            { header: "Key", className: "font-mono text-xs whitespace-nowrap", cell: (k) => `${k.displayPrefix}…` },
            { header: "Account", cell: (k) => k.accountName },
            { header: "Environment", cell: (k) => <EnvironmentBadge environment={k.environment} /> },
            { header: "Role", className: "capitalize", cell: (k) => k.role },
            { header: "Created", className: "whitespace-nowrap text-slate-600", cell: (k) => <Timestamp iso={k.createdAt.toISOString()} relative={false} /> },
            {
              header: "Last used",
              className: "whitespace-nowrap text-slate-600",
              cell: (k) => (k.lastUsedAt ? <Timestamp iso={k.lastUsedAt.toISOString()} /> : "Never"),
            },
            {
              header: "Status",
              cell: (k) =>
                k.revokedAt ? (
                  <>
                    <Badge tone="gray">Revoked</Badge>
                    <span className="block text-xs whitespace-nowrap text-slate-600">
                      <Timestamp iso={k.revokedAt.toISOString()} relative={false} />
                    </span>
                  </>
                ) : (
                  <Badge tone="green">Active</Badge>
                ),
            },
            {
              header: "Action",
              hideHeader: true,
              cell: (k) =>
                k.revokedAt ? null : (
                  <ActionButton
                    action={revokeKeyAction}
                    fields={{ id: k.id }}
                    label="Revoke"
                    look="small"
                    accessibleLabel={`Revoke ${k.displayPrefix}… of ${k.accountName}`}
                    confirm={`Revoke ${k.displayPrefix}… of ${k.accountName}? Every request with it is refused from now on; this cannot be undone.`}
                    once
                  />
                ),
            },
          ]}
        />
      </Card>
      <Card title="Issue a key" id="issue-key">
        <IssueKeyForm key={account?.id ?? "every"} accounts={accounts.map((a) => a.name)} account={account?.name ?? ""} />
      </Card>
    </>
  );
}
