"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, useSyncExternalStore } from "react";
import { Table } from "@/components/ui/table";
import type { ImportStreamLine } from "./import/route";

const noSubscription = () => () => {};

type Progress = { phase: "validating" | "applying"; done: number; total: number };
type Result = Extract<ImportStreamLine, { type: "result" }>;

/**
 * Uploads a SKU map CSV and follows the import as it runs: a progress bar while every row is checked and then
 * applied, and at the end either the summary or every bad row by line number (in which case nothing changed).
 */
export function ImportForm({ account, env, header }: { account: string; env: string; header: string }) {
  const router = useRouter();
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The upload needs this script: until it runs, the button stays off rather than submitting the page itself.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  async function upload(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setFailure("Choose a CSV file first.");
      return;
    }
    setBusy(true);
    setFailure(null);
    setResult(null);
    setProgress({ phase: "validating", done: 0, total: 0 });
    try {
      const response = await fetch(`/sku-map/import?account=${encodeURIComponent(account)}&env=${env}`, { method: "POST", headers: { "content-type": "text/csv" }, body: await file.text() });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setFailure(body?.error?.message ?? `The import failed (HTTP ${response.status}).`);
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffer.slice(0, newline)) as ImportStreamLine;
          buffer = buffer.slice(newline + 1);
          if (line.type === "progress") setProgress(line);
          else setResult(line);
        }
      }
      router.refresh();
    } catch {
      setFailure("The connection broke during the import; check the map before trying again.");
    } finally {
      setBusy(false);
    }
  }

  const percent = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="space-y-3 p-4">
      <form onSubmit={upload} className="flex flex-wrap items-end gap-2" aria-label="Import SKU map CSV">
        <div>
          <label htmlFor={fileId} className="field-label">
            CSV file
          </label>
          <input ref={input} id={fileId} name="file" type="file" accept=".csv,text/csv" className="field-input" aria-describedby={`${fileId}-hint`} />
        </div>
        <button type="submit" className="btn-primary" disabled={busy || !ready}>
          {busy ? "Importing…" : "Import CSV"}
        </button>
      </form>
      <p id={`${fileId}-hint`} className="text-xs text-slate-500">
        Header exactly <code className="font-mono break-all">{header}</code>. Every row is checked first; one bad row means nothing is imported.
      </p>
      {progress && (busy || !result) ? (
        <div>
          <div
            role="progressbar"
            aria-label={`Import ${progress.phase}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full max-w-md overflow-hidden rounded bg-slate-200"
          >
            <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-600">
            {progress.phase === "validating" ? "Checking" : "Applying"} {progress.done} of {progress.total} rows
          </p>
        </div>
      ) : null}
      {failure ? (
        <p role="alert" className="text-sm text-red-700">
          {failure}
        </p>
      ) : null}
      {result?.ok ? (
        <p role="status" className="text-sm text-emerald-800">
          Imported {result.total} rows: {result.created} added, {result.updated} updated.
          {result.released ? ` ${result.released} order(s) held for unmapped SKUs were released.` : ""}
        </p>
      ) : null}
      {result && !result.ok ? (
        <div role="alert">
          <p className="text-sm font-medium text-red-800">
            {result.errors.length} problem(s) in the file — nothing was imported. Fix these rows and import again:
          </p>
          <div className="mt-2 max-w-3xl">
            <Table
              label="Import errors"
              rows={result.errors}
              rowKey={(e, i) => `${e.line}-${i}`}
              columns={[
                { header: "Line", className: "font-mono", cell: (e) => e.line },
                { header: "Column", className: "font-mono text-xs", cell: (e) => e.field ?? "—" },
                { header: "Problem", cell: (e) => e.message },
              ]}
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}
