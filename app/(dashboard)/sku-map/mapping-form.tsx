"use client";

import Link from "next/link";
import { useActionState, useId, useState } from "react";
import { Field } from "@/components/ui/field";
import { ActionMessage } from "@/components/ui/action-message";
import type { StateOf } from "@/lib/dashboard/action";
import { mappingFormErrors, type MappingForm as Draft } from "@/lib/sku-map/form";
import { saveSkuMappingAction } from "./actions";

/**
 * Adds or edits one SKU mapping. Checks run as the user types; the server checks again (and that the account SKU
 * exists). Saving re-runs the orders held for unmapped SKUs, and says which were released.
 */
export function MappingForm({ account, env, initial, accountSkus }: { account: string; env: string; initial: Draft; accountSkus: string[] }) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [state, action, pending] = useActionState<StateOf<typeof saveSkuMappingAction>, FormData>(saveSkuMappingAction, null);
  const ids = { channel: useId(), variant: useId(), sku: useId(), code: useId(), active: useId(), list: useId() };
  const local = mappingFormErrors(draft);
  const server = state && !state.ok ? state.fieldErrors : {};
  const errors: Record<string, string> = { ...server };
  for (const [key, message] of Object.entries(local)) if (touched[key] || touched.submit) errors[key] = message;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setTouched((t) => ({ ...t, [key]: true }));
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const described = (id: string, key: string) => (errors[key] ? `${id}-error` : undefined);

  return (
    <form
      action={action}
      onSubmit={(e) => {
        setTouched((t) => ({ ...t, submit: true }));
        if (Object.keys(local).length) e.preventDefault();
      }}
      aria-label={draft.id ? "Edit SKU mapping" : "Add SKU mapping"}
      className="grid gap-3 p-4 md:grid-cols-2"
      noValidate
    >
      <input type="hidden" name="account" value={account} />
      <input type="hidden" name="env" value={env} />
      {draft.id ? <input type="hidden" name="id" value={draft.id} /> : null}
      <Field id={ids.channel} label="Shopify SKU" error={errors.channelSku} hint="The SKU on the Shopify variant">
        <input id={ids.channel} name="channelSku" className="field-input font-mono" value={draft.channelSku} onChange={(e) => set("channelSku", e.target.value)} aria-invalid={Boolean(errors.channelSku)} aria-describedby={described(ids.channel, "channelSku")} autoComplete="off" />
      </Field>
      <Field id={ids.variant} label="Variant id" error={errors.variantId} hint="Number or gid://shopify/ProductVariant/…; survives SKU renames">
        <input id={ids.variant} name="variantId" className="field-input font-mono" value={draft.variantId} onChange={(e) => set("variantId", e.target.value)} aria-invalid={Boolean(errors.variantId)} aria-describedby={described(ids.variant, "variantId")} autoComplete="off" />
      </Field>
      <Field id={ids.sku} label="Account SKU" error={errors.accountSku} hint="The account's SKU the warehouse stocks">
        <input id={ids.sku} name="accountSku" list={ids.list} className="field-input font-mono" value={draft.accountSku} onChange={(e) => set("accountSku", e.target.value)} aria-invalid={Boolean(errors.accountSku)} aria-describedby={described(ids.sku, "accountSku")} autoComplete="off" />
        <datalist id={ids.list}>
          {accountSkus.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </Field>
      <Field id={ids.code} label="Warehouse item code" error={errors.warehouseItemCode} hint="Optional: the WMS's own code for the item">
        <input id={ids.code} name="warehouseItemCode" className="field-input font-mono" value={draft.warehouseItemCode} onChange={(e) => set("warehouseItemCode", e.target.value)} aria-invalid={Boolean(errors.warehouseItemCode)} aria-describedby={described(ids.code, "warehouseItemCode")} autoComplete="off" />
      </Field>
      <label htmlFor={ids.active} className="flex items-center gap-2 text-sm text-slate-700">
        <input id={ids.active} type="checkbox" name="active" checked={draft.active} onChange={(e) => set("active", e.target.checked)} />
        Active (orders use this mapping)
      </label>
      <div className="flex flex-wrap items-center gap-2 md:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Saving…" : draft.id ? "Save mapping" : "Add mapping"}
        </button>
        <Link href={`/sku-map?account=${encodeURIComponent(account)}&env=${env}`} className="btn-secondary">
          Back to the SKU map
        </Link>
        <ActionMessage state={state} success={() => null} />
      </div>
      {state?.ok ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900 md:col-span-2">
          <p>{state.data.message}</p>
          {state.data.released.length ? (
            <ul className="mt-1 list-disc pl-5">
              {state.data.released.map((o) => (
                <li key={o.id}>
                  Order{" "}
                  <Link href={`/orders/${o.id}`} className="link">
                    {o.orderNumber}
                  </Link>{" "}
                  was re-run and is now {o.status.replaceAll("_", " ")}.
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
