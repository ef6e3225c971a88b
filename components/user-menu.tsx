"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const [signingOut, setSigningOut] = useState(false);
  const router = useRouter();
  return (
    <details className="group relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-200 hover:bg-slate-800 [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-slate-700 text-xs font-semibold uppercase">
          {name.slice(0, 1)}
        </span>
        <span className="hidden sm:inline">{name}</span>
        <span className="sr-only">Account menu</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-60 rounded-lg border border-slate-200 bg-white p-3 text-sm text-slate-700 shadow-lg">
        <p className="font-medium text-slate-900">{name}</p>
        <p className="truncate text-slate-500">{email}</p>
        <p className="mt-1 text-xs text-slate-500">
          Role: <span className="font-medium text-slate-700 capitalize">{role}</span>
        </p>
        <button
          type="button"
          className="btn-secondary mt-3 w-full"
          disabled={signingOut}
          onClick={async () => {
            setSigningOut(true);
            // No redirect from next-auth (its URL depends on NEXTAUTH_URL); refresh re-renders the shell signed out.
            await signOut({ redirect: false });
            router.replace("/login");
            router.refresh();
          }}
        >
          {signingOut ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </details>
  );
}
