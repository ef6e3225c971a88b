/**
 * The dashboard's one way of writing a time. The server renders a page and the browser hydrates it with these same
 * functions, so both must print the same characters: a fixed locale (never the runtime's default) and an explicit
 * zone (the dashboard's, lib/dashboard/time-zone.ts). `hourCycle: "h23"` and not `hour12: false`: with the latter
 * Node prints midnight as "24:15" where Chromium prints "00:15", and React throws away the server's HTML (#418).
 * Pure on purpose (no env): client components import it too.
 */
const LOCALE = "en-AU";

type When = Date | string | number;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;

/** "6 Dec, 00:15 AEDT" (with the year when asked): timestamps in lists, timelines and titles. */
export function formatDateTime(at: When, timeZone: string, withYear = false): string {
  return formatter(timeZone, { day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}), ...CLOCK, timeZoneName: "short" }).format(new Date(at));
}

/** "00:15": a chart's time axis. */
export function formatClock(at: When, timeZone: string): string {
  return formatter(timeZone, CLOCK).format(new Date(at));
}

/** "6 December": the day in a sentence read to a customer. */
export function formatDay(at: When, timeZone: string): string {
  return formatter(timeZone, { day: "numeric", month: "long" }).format(new Date(at));
}

/** "2026-12-06": the calendar day in the zone, for telling whether two times fall on the same day. */
export function dayKey(at: When, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).format(new Date(at));
}
