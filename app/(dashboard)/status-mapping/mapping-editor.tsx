"use client";

import { startTransition, useActionState, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Field } from "@/components/ui/field";
import { ActionMessage } from "@/components/ui/action-message";
import { Table } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/time";
import type { StateOf } from "@/lib/dashboard/action";
import { isLabelOnlyRawStatus, mappingErrors, normalizeRawStatus, normalizeSource, targetsFor, type AppliesTo } from "@/lib/status-mapping/rules";
import { saveMappingAction } from "./actions";

export type MappingRow = {
  id: string;
  source: string;
  rawStatus: string;
  appliesTo: AppliesTo;
  canonicalStatus: string;
  customerMessage: string;
  ownerSystem: string;
  labelOnly: boolean;
  isDefault: boolean;
  updatedBy: string;
  updatedAt: string;
};

type Draft = { id?: string; source: string; rawStatus: string; appliesTo: AppliesTo; canonicalStatus: string; customerMessage: string; ownerSystem: string; labelOnly: boolean };

const EMPTY: Draft = { source: "", rawStatus: "", appliesTo: "order", canonicalStatus: "processing", customerMessage: "", ownerSystem: "", labelOnly: false };

/** The same checks the server runs, as the user types: nobody should submit to learn a label is not a shipment. */
function clientErrors(d: Draft): Record<string, string> {
  const errors = mappingErrors({
    source: normalizeSource(d.source),
    rawStatus: normalizeRawStatus(d.rawStatus),
    appliesTo: d.appliesTo,
    canonicalStatus: d.canonicalStatus,
    labelOnly: d.labelOnly || isLabelOnlyRawStatus(d.rawStatus),
  });
  if (!d.customerMessage.trim()) errors.customerMessage = "Write the sentence support can read out to a customer.";
  return errors;
}

function MappingForm({ initial, onDone }: { initial: Draft; onDone: (message: string | null) => void }) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [touched, setTouched] = useState(false);
  const [state, action, pending] = useActionState<StateOf<typeof saveMappingAction>, FormData>(saveMappingAction, null);
  const first = useRef<HTMLInputElement>(null);
  const ids = { source: useId(), raw: useId(), appliesTo: useId(), canonical: useId(), message: useId(), owner: useId(), label: useId() };
  const forcedLabel = isLabelOnlyRawStatus(draft.rawStatus);
  const local = touched ? clientErrors(draft) : {};
  const server = state && !state.ok ? state.fieldErrors : {};
  const errors = { ...server, ...local };
  const editing = Boolean(draft.id);

  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (state?.ok) onDone(`Saved ${state.data.source} / ${state.data.rawStatus} → ${state.data.canonicalStatus}.`);
  }, [state, onDone]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setTouched(true);
    setDraft((d) => {
      const next = { ...d, [key]: value };
      // A target of the other kind would be meaningless: fall back to the first valid one.
      if (key === "appliesTo" && !(targetsFor(next.appliesTo) as readonly string[]).includes(next.canonicalStatus)) next.canonicalStatus = targetsFor(next.appliesTo)[0];
      return next;
    });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") onDone(null);
  };
  const described = (id: string, key: string) => (errors[key] ? `${id}-error` : undefined);

  return (
    <form
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        // Dispatched by hand rather than through <form action>: React resets a form after its action, which
        // would leave the controlled selects showing their first option when the server refuses the mapping.
        e.preventDefault();
        setTouched(true);
        if (Object.keys(clientErrors(draft)).length) return;
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      aria-label={editing ? `Edit mapping ${draft.source} / ${draft.rawStatus}` : "Add a status mapping"}
      className="grid gap-3 border-b border-slate-200 bg-slate-50 p-4 md:grid-cols-3"
      noValidate
    >
      {draft.id ? <input type="hidden" name="id" value={draft.id} /> : null}
      <Field id={ids.source} label="Source system" error={errors.source} hint="wms, carrier, shopify, or your WMS's name">
        <input ref={first} id={ids.source} name="source" className="field-input" value={draft.source} onChange={(e) => set("source", e.target.value)} readOnly={editing} aria-invalid={Boolean(errors.source)} aria-describedby={described(ids.source, "source")} autoComplete="off" />
      </Field>
      <Field id={ids.raw} label="Raw status" error={errors.rawStatus} hint="As the system sends it, e.g. PACKED">
        <input id={ids.raw} name="rawStatus" className="field-input font-mono" value={draft.rawStatus} onChange={(e) => set("rawStatus", e.target.value)} readOnly={editing} aria-invalid={Boolean(errors.rawStatus)} aria-describedby={described(ids.raw, "rawStatus")} autoComplete="off" />
      </Field>
      <Field id={ids.appliesTo} label="Applies to" error={errors.appliesTo}>
        <select id={ids.appliesTo} name="appliesTo" className="field-input" value={draft.appliesTo} onChange={(e) => set("appliesTo", e.target.value as AppliesTo)}>
          <option value="order">Order</option>
          <option value="shipment">Shipment</option>
        </select>
      </Field>
      <Field id={ids.canonical} label="Canonical status" error={errors.canonicalStatus}>
        <select id={ids.canonical} name="canonicalStatus" className="field-input" value={draft.canonicalStatus} onChange={(e) => set("canonicalStatus", e.target.value)} aria-invalid={Boolean(errors.canonicalStatus)} aria-describedby={described(ids.canonical, "canonicalStatus")}>
          {targetsFor(draft.appliesTo).map((t) => (
            <option key={t} value={t}>
              {t === "ignore" ? "ignore (record only)" : t.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </Field>
      <Field id={ids.owner} label="Owner system" error={errors.ownerSystem} hint="Who decides this status (defaults to the source)">
        <input id={ids.owner} name="ownerSystem" className="field-input" value={draft.ownerSystem} onChange={(e) => set("ownerSystem", e.target.value)} autoComplete="off" />
      </Field>
      <div className="flex items-end pb-1">
        <label htmlFor={ids.label} className="flex items-center gap-2 text-sm text-slate-700">
          <input id={ids.label} type="checkbox" name="labelOnly" checked={draft.labelOnly || forcedLabel} disabled={forcedLabel} onChange={(e) => set("labelOnly", e.target.checked)} />
          Label only (never means shipped)
          {forcedLabel ? <input type="hidden" name="labelOnly" value="on" /> : null}
        </label>
      </div>
      <div className="md:col-span-3">
        <Field id={ids.message} label="Customer-facing sentence" error={errors.customerMessage} hint="What support reads out, e.g. “Your label has been created and the package is waiting for carrier pickup.”">
          <textarea id={ids.message} name="customerMessage" rows={2} maxLength={500} className="field-input" value={draft.customerMessage} onChange={(e) => set("customerMessage", e.target.value)} aria-invalid={Boolean(errors.customerMessage)} aria-describedby={described(ids.message, "customerMessage")} />
        </Field>
      </div>
      <div className="flex items-center gap-2 md:col-span-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save mapping" : "Add mapping"}
        </button>
        <button type="button" className="btn-secondary" onClick={() => onDone(null)} disabled={pending}>
          Cancel
        </button>
        <ActionMessage state={state} success={() => null} />
      </div>
    </form>
  );
}

export function MappingEditor({ mappings, canEdit, prefill }: { mappings: MappingRow[]; canEdit: boolean; prefill?: { source: string; rawStatus: string } }) {
  const [editing, setEditing] = useState<Draft | null>(canEdit && prefill ? { ...EMPTY, ...prefill } : null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const open = (draft: Draft) => {
    setNotice(null);
    setEditing(draft);
    setFormKey((k) => k + 1);
  };
  return (
    <>
      {canEdit ? (
        <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-2">
          <p role="status" className="text-sm text-emerald-700">
            {notice}
          </p>
          {editing ? null : (
            <button type="button" className="btn-secondary" onClick={() => open(EMPTY)}>
              Add mapping
            </button>
          )}
        </div>
      ) : null}
      {editing ? (
        <MappingForm
          key={formKey}
          initial={editing}
          onDone={(message) => {
            setEditing(null);
            if (message) setNotice(message);
          }}
        />
      ) : null}
      <Table
        label="Status mappings"
        rows={mappings}
        rowKey={(m) => m.id}
        columns={[
          { header: "Source", className: "font-mono text-xs", cell: (m) => m.source },
          {
            header: "Raw status",
            className: "font-mono text-xs",
            cell: (m) => (
              <>
                {m.rawStatus}{" "}
                {m.labelOnly ? (
                  <Badge tone="amber" title="Only means a label exists: never shipped">
                    label only
                  </Badge>
                ) : null}
              </>
            ),
          },
          { header: "Applies to", cell: (m) => m.appliesTo },
          { header: "Canonical", cell: (m) => (m.canonicalStatus === "ignore" ? <Badge>ignore</Badge> : <Badge tone="blue">{m.canonicalStatus.replaceAll("_", " ")}</Badge>) },
          { header: "Customer-facing sentence", className: "max-w-md text-slate-700", cell: (m) => m.customerMessage },
          { header: "Owner", cell: (m) => m.ownerSystem },
          {
            header: "Last change",
            className: "text-xs text-slate-500",
            cell: (m) => (
              <>
                {m.updatedBy === "system:defaults" ? "default" : m.updatedBy}
                <br />
                <Timestamp iso={m.updatedAt} />
              </>
            ),
          },
          canEdit && {
            header: "Actions",
            hideHeader: true,
            cell: (m) => (
              <button type="button" className="btn-secondary" aria-label={`Edit ${m.source} ${m.rawStatus}`} onClick={() => open(m)}>
                Edit
              </button>
            ),
          },
        ]}
      />
    </>
  );
}
