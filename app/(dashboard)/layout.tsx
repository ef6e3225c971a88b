import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks } from "@/components/nav-links";
import { UserMenu } from "@/components/user-menu";
import { currentUser } from "@/lib/auth/dashboard";
import { getDb } from "@/db/client";
import { navItemsFor } from "@/lib/dashboard/nav";
import { countOpenExceptions } from "@/lib/exceptions/queue";

/**
 * The dashboard shell. Signed-out visitors get the bare page (the login form); every page still checks the user
 * itself with requireUser, since a layout does not re-run on every navigation.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) return <main className="min-h-screen">{children}</main>;
  // One count from a partial index: the navigation says how many exceptions wait, on every page.
  const openExceptions = await countOpenExceptions(getDb());
  const items = navItemsFor(user.role).map(({ href, label, group }) => ({ href, label, group, count: href === "/exceptions" ? openExceptions : undefined }));
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="bg-slate-900">
        <div className="mx-auto flex h-14 max-w-screen-2xl items-center justify-between gap-3 px-4 md:gap-6">
          <div className="flex min-w-0 items-center gap-3 md:gap-6">
            <Link href="/" className="flex shrink-0 items-center gap-2 text-sm font-semibold text-white">
              {/* sky-700 under white text: the contrast sky-500 lacked (2.8:1). */}
              <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-md bg-sky-700 text-xs font-bold">
                FH
              </span>
              Fulfillment Hub
            </Link>
            <nav aria-label="Main">
              <NavLinks items={items} />
            </nav>
          </div>
          <UserMenu name={user.name} email={user.email} role={user.role} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
