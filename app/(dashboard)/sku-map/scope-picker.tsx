import { SelectField } from "@/components/ui/field";
import type { AccountChoice, OpsScope } from "@/lib/sku-map/scope";

const ENVIRONMENTS = [
  { value: "sandbox", label: "Sandbox" },
  { value: "live", label: "Live" },
];

/** Chooses the account and environment an ops page works on: a plain GET form, so it works before any script loads. */
export function ScopePicker({ action, accounts, scope, extra = {} }: { action: string; accounts: AccountChoice[]; scope: OpsScope; extra?: Record<string, string> }) {
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-2" aria-label="Account and environment">
      {Object.entries(extra).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SelectField id="scope-account" name="account" label="Account" defaultValue={scope.accountId} choices={accounts.map((a) => ({ value: a.id, label: a.name }))} />
      <SelectField id="scope-env" name="env" label="Environment" defaultValue={scope.environment} choices={ENVIRONMENTS} />
      <button type="submit" className="btn-secondary">
        Show
      </button>
    </form>
  );
}
