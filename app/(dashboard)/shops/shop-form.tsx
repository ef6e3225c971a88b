"use client";

import { useActionState, useId, useState } from "react";
import { ActionMessage } from "@/components/ui/action-message";
import { Field, fieldAria } from "@/components/ui/field";
import type { StateOf } from "@/lib/dashboard/action";
import { saveShopAction } from "./actions";

export type ShopDraft = {
  shop: string;
  account: string;
  env: "sandbox" | "live";
  adminUrl: string;
  inventorySyncIntervalSeconds: string;
  active: boolean;
  locations: { location: string; warehouse: string }[];
};

/**
 * Connects a Shopify shop (or edits a connection): the account it feeds, its webhook signing secret and Admin API
 * token (write-only: blank keeps the stored one), the Admin endpoint, the location ↔ warehouse map.
 */
export function ShopForm({
  initial,
  editing,
  accounts,
  warehouses,
  defaultAdminUrl,
}: {
  initial: ShopDraft;
  editing: boolean;
  accounts: string[];
  warehouses: { id: string; name: string; environment: string }[];
  defaultAdminUrl: string;
}) {
  const [state, action, pending] = useActionState<StateOf<typeof saveShopAction>, FormData>(saveShopAction, null);
  const [env, setEnv] = useState(initial.env);
  const [rows, setRows] = useState(initial.locations.length ? initial.locations : [{ location: "", warehouse: "" }]);
  const id = useId();
  const errors = state && !state.ok ? state.fieldErrors : {};
  const choices = warehouses.filter((w) => w.environment === env);
  return (
    <form action={action} className="grid gap-3 p-4 md:grid-cols-3" aria-label={editing ? `Edit ${initial.shop}` : "Connect a shop"}>
      <Field id={`${id}-shop`} label="Shop domain" error={errors.shop} hint="acme.myshopify.com">
        <input id={`${id}-shop`} name="shop" defaultValue={initial.shop} readOnly={editing} className="field-input font-mono" autoComplete="off" required {...fieldAria(`${id}-shop`, errors.shop, true)} />
      </Field>
      <Field id={`${id}-account`} label="Account" error={errors.account} hint="An existing account, or a new name to create it">
        <input id={`${id}-account`} name="account" defaultValue={initial.account} list={`${id}-accounts`} className="field-input" autoComplete="off" required {...fieldAria(`${id}-account`, errors.account, true)} />
        <datalist id={`${id}-accounts`}>
          {accounts.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </Field>
      <Field id={`${id}-env`} label="Environment">
        <select id={`${id}-env`} name="env" value={env} onChange={(e) => setEnv(e.target.value as "sandbox" | "live")} className="field-input">
          <option value="sandbox">Sandbox</option>
          <option value="live">Live</option>
        </select>
      </Field>
      <Field id={`${id}-secret`} label="Webhook signing secret" error={errors.secret} hint={editing ? "Blank keeps the stored secret" : "From the Shopify app's settings"}>
        <input id={`${id}-secret`} name="secret" type="password" className="field-input" autoComplete="off" {...fieldAria(`${id}-secret`, errors.secret, true)} />
      </Field>
      <Field id={`${id}-token`} label="Admin API access token" error={errors.token} hint={editing ? "Blank keeps the stored token" : "shpat_…"}>
        <input id={`${id}-token`} name="token" type="password" className="field-input" autoComplete="off" {...fieldAria(`${id}-token`, errors.token, true)} />
      </Field>
      <Field id={`${id}-interval`} label="Inventory sync every (seconds)" error={errors.inventorySyncIntervalSeconds} hint="Reconciliation pass; pushes also follow every stock change">
        <input
            id={`${id}-interval`}
            name="inventorySyncIntervalSeconds"
            defaultValue={initial.inventorySyncIntervalSeconds}
            inputMode="numeric"
            className="field-input"
            {...fieldAria(`${id}-interval`, errors.inventorySyncIntervalSeconds, true)}
          />
      </Field>
      <div className="md:col-span-2">
        <Field id={`${id}-admin`} label="Admin API URL" error={errors.adminUrl} hint={`Empty: ${defaultAdminUrl}`}>
          <input
            id={`${id}-admin`}
            name="adminUrl"
            defaultValue={initial.adminUrl}
            placeholder={defaultAdminUrl}
            className="field-input font-mono"
            autoComplete="off"
            {...fieldAria(`${id}-admin`, errors.adminUrl, true)}
          />
        </Field>
      </div>
      <div className="flex items-end pb-1">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="active" defaultChecked={initial.active} /> Active (accept webhooks)
        </label>
      </div>
      <fieldset className="md:col-span-3" aria-describedby={errors.location ? `${id}-location-error` : undefined}>
        <legend className="field-label">Shopify location ↔ warehouse</legend>
        <div className="space-y-2">
          {rows.map((row, i) => (
            <div key={i} className="flex flex-wrap items-center gap-2">
              <input
                name="location"
                aria-label={`Shopify location id ${i + 1}`}
                value={row.location}
                onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, location: e.target.value } : r)))}
                placeholder="123456 or gid://shopify/Location/123456"
                className="field-input w-80 max-w-full font-mono"
                aria-invalid={errors.location ? true : undefined}
              />
              <select
                name="warehouse"
                aria-label={`Warehouse ${i + 1}`}
                value={row.warehouse}
                onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, warehouse: e.target.value } : r)))}
                className="field-input w-auto"
              >
                <option value="">—</option>
                {choices.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
              <button type="button" className="btn-secondary px-2 py-0.5 text-xs" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove location ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="btn-secondary px-2 py-0.5 text-xs" onClick={() => setRows([...rows, { location: "", warehouse: "" }])}>
            Add location
          </button>
        </div>
        {errors.location ? (
          <p id={`${id}-location-error`} className="mt-1 text-xs text-red-700">
            {errors.location}
          </p>
        ) : null}
      </fieldset>
      <div className="flex flex-wrap items-center gap-2 md:col-span-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save connection" : "Connect shop"}
        </button>
        <ActionMessage state={state} />
      </div>
    </form>
  );
}
