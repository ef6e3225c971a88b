import Link from "next/link";
import { orderStatusLabel, orderStatuses } from "@/components/status-badge";
import { SearchShortcut } from "@/components/orders/search-shortcut";
import type { AccountOption } from "@/lib/dashboard/search";

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
      <div>
        <label htmlFor="order-account" className="field-label">
          Account
        </label>
        <select id="order-account" name="account" defaultValue={values.account} className="field-input">
          <option value="">All accounts</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="order-env" className="field-label">
          Environment
        </label>
        <select id="order-env" name="env" defaultValue={values.env} className="field-input">
          <option value="">Both</option>
          <option value="live">Live</option>
          <option value="sandbox">Sandbox</option>
        </select>
      </div>
      <div>
        <label htmlFor="order-status" className="field-label">
          Status
        </label>
        <select id="order-status" name="status" defaultValue={values.status} className="field-input">
          <option value="">Any status</option>
          {orderStatuses.map((s) => (
            <option key={s} value={s}>
              {orderStatusLabel(s)}
            </option>
          ))}
        </select>
      </div>
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
