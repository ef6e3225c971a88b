import Link from "next/link";
import { orderStatusLabel, orderStatuses } from "@/components/status-badge";
import { SearchShortcut } from "@/components/orders/search-shortcut";
import { SelectField } from "@/components/ui/field";
import type { AccountOption } from "@/lib/dashboard/search";

const ENVIRONMENTS = [
  { value: "", label: "Both" },
  { value: "live", label: "Live" },
  { value: "sandbox", label: "Sandbox" },
];
const STATUSES = [{ value: "", label: "Any status" }, ...orderStatuses.map((s) => ({ value: s, label: orderStatusLabel(s) }))];

export type SearchValues = { q: string; account: string; env: string; status: string };

/** A plain GET form: works without JavaScript, and every search is a URL that can be shared or bookmarked. */
export function OrderSearchForm({ values, accounts }: { values: SearchValues; accounts: AccountOption[] }) {
  const filtered = Boolean(values.q || values.account || values.env || values.status);
  return (
    <form role="search" action="/orders" method="get" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-xs md:grid-cols-[minmax(16rem,2fr)_1fr_9rem_10rem_auto] md:items-end">
      <SearchShortcut inputId="order-search" />
      <div>
        <label htmlFor="order-search" className="field-label">
          Search orders <span className="font-normal text-slate-500">(press /)</span>
        </label>
        <input
          id="order-search"
          name="q"
          type="search"
          defaultValue={values.q}
          placeholder="Order number, reference, order id or tracking number"
          autoComplete="off"
          spellCheck={false}
          className="field-input"
        />
      </div>
      <SelectField id="order-account" name="account" label="Account" defaultValue={values.account} choices={[{ value: "", label: "All accounts" }, ...accounts.map((a) => ({ value: a.id, label: a.name }))]} />
      <SelectField id="order-env" name="env" label="Environment" defaultValue={values.env} choices={ENVIRONMENTS} />
      <SelectField id="order-status" name="status" label="Status" defaultValue={values.status} choices={STATUSES} />
      <div className="flex gap-2">
        <button type="submit" className="btn-primary">
          Search
        </button>
        {filtered ? (
          <Link href="/orders" className="btn-secondary">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
