"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { NavGroup } from "@/lib/dashboard/nav";

/** `count`: how many wait there (open exceptions), shown beside the label; absent or 0: nothing shown. */
export type NavEntry = { href: string; label: string; group?: NavGroup; count?: number };

function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * A button that shows and hides a panel (the disclosure pattern: aria-expanded, aria-controls). Escape closes it and
 * gives focus back to the button; so does a click or focus outside it, and following one of its links.
 */
function Disclosure({ label, active, className, panelClassName, children }: { label: ReactNode; active?: boolean; className?: string; panelClassName: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();

  // A link inside was followed: the new page is on screen, the menu has done its work.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", closeOutside);
    document.addEventListener("focusin", closeOutside);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", closeOutside);
      document.removeEventListener("focusin", closeOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className={clsx(
          "flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium",
          active ? "bg-slate-800 text-white" : "text-slate-300 hover:bg-slate-800/60 hover:text-white",
          className,
        )}
      >
        {label}
        <span aria-hidden="true" className={clsx("text-xs transition-transform", open && "rotate-180")}>
          ▾
        </span>
      </button>
      <div id={panelId} hidden={!open} className={panelClassName}>
        {children}
      </div>
    </div>
  );
}

function MenuLink({ item, pathname, dark }: { item: NavEntry; pathname: string; dark?: boolean }) {
  const active = isActive(pathname, item.href);
  const countId = useId();
  const count = item.count ? (
    <>
      {/* The link keeps its name ("Exceptions"), which journeys and screen readers find it by; the figure is its description. */}
      <span aria-hidden="true" className="ml-1.5 rounded-full bg-amber-400 px-1.5 text-xs font-semibold text-slate-900 tabular-nums">
        {item.count > 999 ? "999+" : item.count}
      </span>
      {/* Hidden, and still read as the description: inside the link, visible text would join its name. */}
      <span id={countId} hidden>
        {item.count} open
      </span>
    </>
  ) : null;
  return (
    <Link
      href={item.href}
      aria-current={active ? "page" : undefined}
      aria-describedby={count ? countId : undefined}
      className={clsx(
        "block rounded-md px-3 py-2 text-sm",
        dark
          ? active
            ? "bg-slate-800 font-medium text-white"
            : "text-slate-300 hover:bg-slate-800/60 hover:text-white"
          : active
            ? "bg-sky-50 font-medium text-sky-800"
            : "text-slate-700 hover:bg-slate-100",
      )}
    >
      {item.label}
      {count}
    </Link>
  );
}

/** Entries without a group, then one list per group, in the order the entries come. */
function grouped(items: NavEntry[]): { top: NavEntry[]; groups: [NavGroup, NavEntry[]][] } {
  const groups = new Map<NavGroup, NavEntry[]>();
  for (const item of items) if (item.group) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  return { top: items.filter((item) => !item.group), groups: [...groups] };
}

/**
 * The main navigation. From 768 px: the ungrouped entries on the bar and a menu per group (fits 1280 px whatever
 * the role). Below: everything behind one Menu button, so a phone's page is never wider than its screen.
 */
export function NavLinks({ items }: { items: NavEntry[] }) {
  const pathname = usePathname();
  const { top, groups } = grouped(items);
  return (
    <>
      <ul className="hidden items-center gap-1 md:flex">
        {top.map((item) => (
          <li key={item.href}>
            <MenuLink item={item} pathname={pathname} dark />
          </li>
        ))}
        {groups.map(([group, entries]) => (
          <li key={group}>
            <Disclosure
              label={group}
              active={entries.some((item) => isActive(pathname, item.href))}
              panelClassName="absolute left-0 z-30 mt-2 w-56 rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
            >
              <ul>
                {entries.map((item) => (
                  <li key={item.href}>
                    <MenuLink item={item} pathname={pathname} />
                  </li>
                ))}
              </ul>
            </Disclosure>
          </li>
        ))}
      </ul>
      <div className="md:hidden">
        <Disclosure label="Menu" panelClassName="fixed inset-x-0 top-14 z-30 max-h-[calc(100vh-3.5rem)] overflow-y-auto border-t border-slate-800 bg-slate-900 px-4 pt-2 pb-4 shadow-lg">
          <ul>
            {top.map((item) => (
              <li key={item.href}>
                <MenuLink item={item} pathname={pathname} dark />
              </li>
            ))}
          </ul>
          {groups.map(([group, entries]) => (
            <section key={group} aria-label={group} className="mt-3">
              <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-slate-400 uppercase">{group}</p>
              <ul>
                {entries.map((item) => (
                  <li key={item.href}>
                    <MenuLink item={item} pathname={pathname} dark />
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </Disclosure>
      </div>
    </>
  );
}
