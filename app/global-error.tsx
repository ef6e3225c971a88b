"use client";

import "./globals.css";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen items-center justify-center p-6">
        <div role="alert" className="max-w-md rounded-lg border border-red-200 bg-red-50 p-5 text-sm text-red-900">
          <h1 className="text-base font-semibold">The Fulfillment Hub hit an error</h1>
          <p className="mt-1">Reference: {error.digest ?? "none"}</p>
          <button type="button" onClick={reset} className="btn-secondary mt-3">
            Try again
          </button>
        </div>
      </body>
    </html>
  );
}
