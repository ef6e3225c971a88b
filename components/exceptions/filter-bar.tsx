import Link from "next/link";
import { SelectField } from "@/components/ui/field";
import { AGE_CHOICES, type QueueQuery } from "@/lib/exceptions/filters";
import type { QueueFilterOptions } from "@/lib/exceptions/queue";
import { STUCK_STAGES, THRESHOLDS } from "@/lib/stuck-orders/stages";

const any = (label: string) => ({ value: "", label });

/**
 * The queue's filters as a plain GET form: works without JavaScript, every filtered queue is a URL to share, and the
 * live refresh reads the same parameters. Laid out in a grid that wraps to one column on a phone.
 */
export function QueueFilterBar({ query, options }: { query: QueueQuery; options: QueueFilterOptions }) {
  const filtered = Object.entries(query).some(([name, value]) => name !== "kind" && value !== undefined);
  return (
    <form role="search" aria-label="Filter exceptions" action="/exceptions" method="get" className="mb-3 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-xs sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-5">
      {query.kind ? <input type="hidden" name="kind" value={query.kind} /> : null}
      <div>
        <label htmlFor="exc-q" className="field-label">
          Order number
        </label>
        <input id="exc-q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="e.g. SO-1004" autoComplete="off" spellCheck={false} className="field-input" />
      </div>
      <SelectField id="exc-stage" name="stage" label="Stuck stage" defaultValue={query.stage ?? ""} choices={[any("Any stage"), ...STUCK_STAGES.map((s) => ({ value: s, label: THRESHOLDS[s].words }))]} />
      <SelectField id="exc-account" name="account" label="Account" defaultValue={query.account ?? ""} choices={[any("All accounts"), ...options.accounts.map((a) => ({ value: a.id, label: a.name }))]} />
      <SelectField id="exc-env" name="env" label="Environment" defaultValue={query.env ?? ""} choices={[any("Both"), { value: "live", label: "Live" }, { value: "sandbox", label: "Sandbox" }]} />
      <SelectField
        id="exc-warehouse"
        name="warehouse"
        label="Warehouse"
        defaultValue={query.warehouse ?? ""}
        choices={[any("All warehouses"), ...options.warehouses.map((w) => ({ value: w.id, label: `${w.name} (${w.environment})` }))]}
      />
      <SelectField id="exc-age" name="older_than" label="Older than" defaultValue={query.older_than ? String(query.older_than) : ""} choices={[any("Any age"), ...AGE_CHOICES.map((c) => ({ value: String(c.minutes), label: c.label }))]} />
      <SelectField id="exc-assigned" name="assigned" label="Assigned" defaultValue={query.assigned ?? ""} choices={[any("Anyone"), { value: "me", label: "To me" }, { value: "none", label: "Unassigned" }]} />
      <SelectField id="exc-snoozed" name="snoozed" label="Snoozed" defaultValue={query.snoozed ?? ""} choices={[any("Hide snoozed"), { value: "1", label: "Only snoozed" }]} />
      <SelectField id="exc-sort" name="sort" label="Sort" defaultValue={query.sort ?? ""} choices={[any("Oldest first"), { value: "newest", label: "Newest first" }]} />
      <div className="flex items-end gap-2">
        <button type="submit" className="btn-primary">
          Apply
        </button>
        {filtered ? (
          <Link href={query.kind ? `/exceptions?kind=${encodeURIComponent(query.kind)}` : "/exceptions"} className="btn-secondary">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
