"use client";

import { useEffect } from "react";

/** Any failure inside a dashboard page: say so plainly, offer a retry, keep the shell and navigation. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg border border-red-200 bg-red-50 p-5 text-sm text-red-900">
      <h1 className="text-base font-semibold">This page could not be loaded</h1>
      <p className="mt-1">Something went wrong on our side. Try again; if it keeps happening, quote this reference to the team:</p>
      <p className="mt-1 font-mono text-xs">{error.digest ?? "no reference"}</p>
      <button type="button" onClick={reset} className="btn-secondary mt-3">
        Try again
      </button>
    </div>
  );
}
