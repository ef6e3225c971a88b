"use client";

import { useEffect, useState } from "react";
import { useTimeZone } from "@/components/providers";
import { formatDateTime } from "@/lib/dashboard/format-time";

/** The current time, refreshed every 30 s; null until mounted, so server and first client render agree. */
function useNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const id = setInterval(tick, 30_000);
    return () => {
      clearTimeout(first);
      clearInterval(id);
    };
  }, []);
  return now;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 45 ? "just now" : format.format(seconds, "second");
}

/** An absolute time in the dashboard's zone, with the relative time ("3 hours ago") beside it once mounted. */
export function Timestamp({ iso, relative = true, className }: { iso: string; relative?: boolean; className?: string }) {
  const timeZone = useTimeZone();
  const now = useNow();
  const absolute = formatDateTime(iso, timeZone, new Date(iso).getFullYear() !== new Date().getFullYear());
  return (
    <time dateTime={iso} title={iso} className={className}>
      {absolute}
      {relative && now !== null ? <span className="text-slate-500"> · {relativeTime(iso, now)}</span> : null}
    </time>
  );
}

/** Only the relative part ("2 days"), for age columns. */
export function Age({ iso }: { iso: string }) {
  const now = useNow();
  const timeZone = useTimeZone();
  return (
    <time dateTime={iso} title={formatDateTime(iso, timeZone, true)}>
      {now === null ? formatDateTime(iso, timeZone) : relativeTime(iso, now)}
    </time>
  );
}
