import type { AccountChoice, OpsScope } from "@/lib/sku-map/scope";

/** Chooses the account and environment an ops page works on: a plain GET form, so it works before any script loads. */
export function ScopePicker({ action, accounts, scope, extra = {} }: { action: string; accounts: AccountChoice[]; scope: OpsScope; extra?: Record<string, string> }) {
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-2" aria-label="Account and environment">
      {Object.entries(extra).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div>
        <label htmlFor="scope-account" className="field-label">
          Account
        </label>
        <select id="scope-account" name="account" defaultValue={scope.accountId} className="field-input">
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="scope-env" className="field-label">
          Environment
        </label>
        <select id="scope-env" name="env" defaultValue={scope.environment} className="field-input">
          <option value="sandbox">Sandbox</option>
          <option value="live">Live</option>
        </select>
      </div>
      <button type="submit" className="btn-secondary">
        Show
      </button>
    </form>
  );
}
