import clsx from "clsx";
import type { ReactNode } from "react";

export type BadgeTone = "gray" | "blue" | "indigo" | "amber" | "orange" | "green" | "red" | "violet" | "teal";

const TONES: Record<BadgeTone, string> = {
  gray: "bg-slate-100 text-slate-700 ring-slate-300",
  blue: "bg-sky-50 text-sky-800 ring-sky-300",
  indigo: "bg-indigo-50 text-indigo-800 ring-indigo-300",
  amber: "bg-amber-50 text-amber-900 ring-amber-300",
  orange: "bg-orange-50 text-orange-900 ring-orange-300",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  red: "bg-red-50 text-red-800 ring-red-300",
  violet: "bg-violet-50 text-violet-800 ring-violet-300",
  teal: "bg-teal-50 text-teal-800 ring-teal-300",
};

export function Badge({ tone = "gray", children, title }: { tone?: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={clsx("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", TONES[tone])}>
      {children}
    </span>
  );
}
