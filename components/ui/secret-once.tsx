"use client";

import { useId, useState } from "react";

/**
 * A secret the server shows once (a generated password, a new API key): in a read-only box that selects itself on
 * focus, with a button that copies it. Nothing keeps it after the page is left.
 */
export function SecretOnce({ label, value, note }: { label: string; value: string; note: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the box is selected for a manual copy.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied("failed");
    }
  }
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3">
      <label htmlFor={id} className="field-label text-amber-900">
        {label}
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} className="field-input min-w-0 flex-1 basis-48 font-mono" aria-describedby={`${id}-note`} />
        <button type="button" onClick={copy} className="btn-secondary">
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      <p id={`${id}-note`} className="mt-1 text-xs text-amber-900">
        {note}
      </p>
      <p role="status" className="sr-only">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Could not copy: the text is selected, copy it with the keyboard." : ""}
      </p>
    </div>
  );
}
