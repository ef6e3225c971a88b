import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { hasRole } from "@/lib/auth/dashboard-users";
import { ALL_ROLES, AUDIT_ROLES, STATUS_MAPPING_EDIT_ROLES } from "@/lib/dashboard/nav";
import { listStatusMappingChanges, listStatusMappings } from "@/lib/status-mapping/mappings";
import { MappingEditor, type MappingRow } from "./mapping-editor";

export const metadata: Metadata = { title: "Status mapping" };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v.slice(0, 64) : undefined);

function summary(snapshot: Record<string, unknown> | null): string {
  if (!snapshot) return "—";
  return `${snapshot.applies_to} → ${snapshot.canonical_status}${snapshot.label_only ? " (label only)" : ""}`;
}

export default async function StatusMappingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(ALL_ROLES);
  const canEdit = hasRole(user, STATUS_MAPPING_EDIT_ROLES);
  const params = await searchParams;
  const db = getDb();
  const [mappings, changes] = await Promise.all([listStatusMappings(db), listStatusMappingChanges(db, { limit: 50 })]);
  const rows: MappingRow[] = mappings.map((m) => ({
    id: m.id,
    source: m.source,
    rawStatus: m.rawStatus,
    appliesTo: m.appliesTo,
    canonicalStatus: m.canonicalStatus,
    customerMessage: m.customerMessage,
    ownerSystem: m.ownerSystem,
    labelOnly: m.labelOnly,
    isDefault: m.isDefault,
    updatedBy: m.updatedBy,
    updatedAt: m.updatedAt.toISOString(),
  }));
  const source = one(params.source);
  const rawStatus = one(params.raw);
  // Arriving from a failed event ("add the mapping for wms / FOO"): open the form prefilled, unless it exists by now.
  const prefill = source && rawStatus && !rows.some((r) => r.source === source && r.rawStatus === rawStatus) ? { source, rawStatus } : undefined;
  return (
    <>
      <PageHeader
        title="Status mapping"
        description="How each system's raw statuses translate into order and shipment statuses, and what support can tell the customer. A label-only status can never mean shipped."
      />
      <Card title={`Mappings (${rows.length})`} className="mb-6">
        <MappingEditor mappings={rows} canEdit={canEdit} prefill={prefill} />
      </Card>
      <Card
        title="Change history"
        actions={
          hasRole(user, AUDIT_ROLES) ? (
            <Link href="/audit?entity=status_mapping" className="link text-sm">
              All changes in the audit log
            </Link>
          ) : null
        }
      >
        <Table
          label="Change history"
          rows={changes}
          rowKey={(c) => c.id}
          empty={{ title: "No changes yet", body: "Every add or edit of a mapping is listed here with who made it." }}
          columns={[
            { header: "When", cell: (c) => <Timestamp iso={c.occurredAt.toISOString()} /> },
            { header: "Who", cell: (c) => c.actor },
            {
              header: "Mapping",
              className: "font-mono text-xs",
              cell: (c) => (
                <>
                  {c.source} / {c.rawStatus}
                </>
              ),
            },
            { header: "Change", cell: (c) => <Badge tone={c.action === "created" ? "green" : "blue"}>{c.action}</Badge> },
            { header: "Before", className: "text-xs text-slate-600", cell: (c) => summary(c.before) },
            {
              header: "After",
              className: "text-xs text-slate-800",
              cell: (c) => (
                <>
                  {summary(c.after)}
                  <div className="text-slate-500">{String(c.after?.customer_message ?? "")}</div>
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
