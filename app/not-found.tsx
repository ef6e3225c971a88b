import Link from "next/link";
import { connection } from "next/server";

export default async function NotFound() {
  // Rendered per request, not prerendered at build: only then does Next.js put the request's CSP nonce on the
  // page's scripts (proxy.ts), which the browser otherwise refuses to run.
  await connection();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="text-center">
        <h1 className="text-lg font-semibold text-slate-900">Page not found</h1>
        <p className="mt-1 text-sm text-slate-600">There is nothing at this address.</p>
        <Link href="/orders" className="link mt-3 inline-block text-sm">
          Go to orders
        </Link>
      </div>
    </main>
  );
}
