import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/dashboard";

export const metadata: Metadata = { title: "No access" };

export default async function ForbiddenPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-lg font-semibold text-slate-900">You don&apos;t have access to that page</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your role ({user.role}) cannot open it. Ask an administrator if you need it.
      </p>
      <Link href="/orders" className="link mt-4 inline-block text-sm">
        Back to orders
      </Link>
    </div>
  );
}
