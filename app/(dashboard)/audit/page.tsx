import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { Field, fieldAria, SelectField } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { AUDIT_ENTITY_LABELS, auditDiff, entityHref, entityLabel } from "@/lib/audit/present";
import { cursorParam, listAudit, parseAuditQuery, recentAuditChoices, type AuditFilter } from "@/lib/audit/query";
import { requireUser } from "@/lib/auth/dashboard";
import { AUDIT_ROLES, navItems } from "@/lib/dashboard/nav";
import { displayTimeZone } from "@/lib/dashboard/time-zone";

export const metadata: Metadata = { title: "Audit log" };

/** The filters as a query string again (for the export, and the paging links, which keep them). */
function filterQuery(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  const named: [string, string | undefined][] = [
    ["actor", filter.actor],
    ["entity", filter.entityType],
    ["entity_id", filter.entityId],
    ["action", filter.action],
    ["from", filter.from],
    ["to", filter.to],
  ];
  for (const [name, value] of named) if (value) params.set(name, value);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(AUDIT_ROLES);
  // A link only to a page the reader may open (an ops user reads user changes but cannot open the users page).
  const allowed = (href: string | null) => {
    const item = href ? navItems.find((i) => href === i.href || href.startsWith(`${i.href}/`) || href.startsWith(`${i.href}?`)) : undefined;
    return href && (!item || item.roles.includes(user.role)) ? href : null;
  };
  const params = await searchParams;
  const { filter, cursor, errors } = parseAuditQuery(params);
  const raw = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : "");
  // An impossible filter is shown on its field and nothing is listed: a list for filters other than the ones
  // typed would be read as the answer.
  const invalid = Object.entries(errors).some(([key]) => key !== "after");
  const db = getDb();
  const [page, choices] = await Promise.all([
    invalid ? { rows: [], next: null } : listAudit(db, filter, { cursor: errors.after ? undefined : cursor, timeZone: displayTimeZone() }),
    recentAuditChoices(db),
  ]);
  const filtered = Object.values(filter).some(Boolean);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in the dashboard or with the commands: who, when, what and how it was before. Rows are never edited or deleted."
        actions={
          invalid ? null : (
            <a href={`/audit/export${filterQuery(filter)}`} className="btn-secondary" download>
              Export CSV
            </a>
          )
        }
      />
      <Card className="mb-4">
        <form method="get" action="/audit" aria-label="Filter the audit log" className="grid grid-cols-1 items-end gap-3 px-4 py-3 sm:grid-cols-2 lg:grid-cols-6">
          <Field id="audit-actor" label="Who" error={errors.actor} className="lg:col-span-2">
            <input id="audit-actor" name="actor" list="audit-actors" defaultValue={raw("actor")} placeholder="ops@example.com or cli:deploy" className="field-input w-full" {...fieldAria("audit-actor", errors.actor)} />
            <datalist id="audit-actors">
              {choices.actors.map((actor) => (
                <option key={actor} value={actor} />
              ))}
            </datalist>
          </Field>
          <SelectField
            id="audit-entity"
            name="entity"
            label="What"
            defaultValue={filter.entityType ?? ""}
            choices={[{ value: "", label: "Everything" }, ...Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }))]}
          />
          <Field id="audit-action" label="Action" error={errors.action}>
            <input id="audit-action" name="action" list="audit-actions" defaultValue={raw("action")} placeholder="updated" className="field-input w-full" {...fieldAria("audit-action", errors.action)} />
            <datalist id="audit-actions">
              {choices.actions.map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
          </Field>
          <Field id="audit-from" label="From (day)" error={errors.from}>
            <input id="audit-from" name="from" type="date" defaultValue={raw("from")} className="field-input w-full" {...fieldAria("audit-from", errors.from)} />
          </Field>
          <Field id="audit-to" label="To (day, included)" error={errors.to}>
            <input id="audit-to" name="to" type="date" defaultValue={raw("to")} className="field-input w-full" {...fieldAria("audit-to", errors.to)} />
          </Field>
          {filter.entityId ? <input type="hidden" name="entity_id" value={filter.entityId} /> : null}
          <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-6">
            <button type="submit" className="btn-primary">
              Filter
            </button>
            {filtered || invalid ? (
              <Link href="/audit" className="link text-sm">
                Clear filters
              </Link>
            ) : null}
            {filter.entityId ? <span className="text-sm text-slate-600">Only {entityLabel(filter.entityType ?? "")} <span className="font-mono break-all">{filter.entityId}</span></span> : null}
          </div>
        </form>
      </Card>
      {errors.after ? (
        <p role="status" className="mb-3 text-sm text-amber-900">
          {errors.after}
        </p>
      ) : null}
      <Card title={cursor && !errors.after ? "Older changes" : "Changes, newest first"}>
        <Table
          label="Audit log, newest first"
          rows={page.rows}
          rowKey={(r) => r.id}
          empty={
            invalid
              ? { title: "Fix the highlighted filter", body: "Nothing is listed until every filter can be read." }
              : { title: filtered ? "No changes match these filters" : "No changes recorded yet", body: filtered ? "Widen the dates or clear a filter." : "Changes made in the dashboard or with the commands appear here." }
          }
          columns={[
            { header: "When", cell: (r) => <Timestamp iso={r.occurredAt.toISOString()} /> },
            {
              header: "Who",
              className: "break-all",
              cell: (r) => (
                <>
                  <div>{r.actor}</div>
                  <div className="text-xs text-slate-500">
                    {r.actorRole ? `${r.actorRole} · ` : ""}
                    {r.source}
                  </div>
                </>
              ),
            },
            {
              header: "What",
              cell: (r) => {
                const href = allowed(entityHref(r));
                return (
                  <>
                    <div>{href ? <Link href={href} className="link">{entityLabel(r.entityType)}</Link> : entityLabel(r.entityType)}</div>
                    <div className="font-mono text-xs break-all text-slate-500">{r.entityId}</div>
                  </>
                );
              },
            },
            { header: "Action", cell: (r) => <Badge tone={r.action === "deleted" || r.action === "revoked" || r.action === "disabled" ? "red" : r.action === "created" ? "green" : "blue"}>{r.action.replaceAll("_", " ")}</Badge> },
            {
              header: "Change",
              className: "min-w-64 max-w-md text-xs",
              cell: (r) => {
                const lines = auditDiff(r.before, r.after);
                if (!lines.length) return <span className="text-slate-500">No fields recorded</span>;
                return (
                  <dl className="space-y-0.5">
                    {lines.map((line) => (
                      <div key={line.key} className="break-words">
                        <dt className="inline font-medium text-slate-700">{line.key.replaceAll("_", " ")}: </dt>
                        <dd className="inline">
                          {line.before !== undefined ? <del className="text-red-800">{line.before}</del> : null}
                          {line.before !== undefined && line.after !== undefined ? <span aria-hidden="true"> → </span> : null}
                          {line.before !== undefined && line.after !== undefined ? <span className="sr-only"> became </span> : null}
                          {line.after !== undefined ? <ins className="text-emerald-800 no-underline">{line.after}</ins> : null}
                        </dd>
                      </div>
                    ))}
                  </dl>
                );
              },
            },
          ]}
        />
      </Card>
      <nav aria-label="Audit log pages" className="mt-3 flex flex-wrap gap-4 text-sm">
        {cursor && !errors.after ? (
          <Link href={`/audit${filterQuery(filter)}`} className="link">
            ← Newest changes
          </Link>
        ) : null}
        {page.next ? (
          <Link href={`/audit${filterQuery(filter, { after: cursorParam(page.next) })}`} className="link">
            Older changes →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
