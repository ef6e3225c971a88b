import Link from "next/link";
import clsx from "clsx";
import type { ReactNode } from "react";

export function Card({ title, actions, children, className, id }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; id?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section aria-labelledby={headingId} className={clsx("overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs", className)}>
      {title ? (
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-2.5">
          <h2 id={headingId} className="text-sm font-semibold text-slate-800">
            {title}
          </h2>
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}

/** A page's title, its one-line description and its actions; `back` links to the list the page was opened from. */
export function PageHeader({ title, description, actions, back }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; back?: { href: string; label: string } }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      {back ? (
        <p className="w-full text-sm">
          <Link href={back.href} className="link">
            ← {back.label}
          </Link>
        </p>
      ) : null}
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-0.5 text-sm text-slate-500">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}
