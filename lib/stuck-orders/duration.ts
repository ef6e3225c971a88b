/**
 * Durations as ops type them in the threshold form ("90", "90 min", "4 h", "1 h 30 min", "2 d") and as the page
 * prints them. Pure (no database, no env): the form checks as the user types with the same code the server runs.
 */

/** The longest threshold ops can set: a month. Longer is no alarm at all. */
export const MAX_THRESHOLD_MINUTES = 31 * 24 * 60;

const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, mins: 1, minute: 1, minutes: 1, h: 60, hr: 60, hrs: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440 };

export type ParsedDuration = { ok: true; minutes: number | null } | { ok: false; error: string };

/** Empty: no override at this level (null). A bare number counts minutes. */
export function parseDuration(text: string): ParsedDuration {
  const value = text.trim().toLowerCase();
  if (!value) return { ok: true, minutes: null };
  const bad: ParsedDuration = { ok: false, error: 'Write a duration such as 90, 90 min, 4 h, 1 h 30 min or 2 d.' };
  if (value.length > 40) return bad;
  // Consumed part by part ("1 h", "30 min"), each a number and an optional unit; anything left over is a typo.
  const part = /\s*(\d{1,6})\s*([a-z]*)\s*/y;
  let minutes = 0;
  while (part.lastIndex < value.length) {
    const m = part.exec(value);
    const factor = m ? (m[2] ? UNIT_MINUTES[m[2]] : 1) : undefined;
    if (!m || factor === undefined) return bad;
    minutes += Number(m[1]) * factor;
  }
  if (minutes < 1) return { ok: false, error: "At least 1 minute." };
  if (minutes > MAX_THRESHOLD_MINUTES) return { ok: false, error: "At most 31 days." };
  return { ok: true, minutes };
}

/** "45 min", "4 h", "1 h 30 min", "2 d", "3 d 4 h": as the timeline lines write them. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 2880) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  const hours = Math.floor((minutes % 1440) / 60);
  return `${Math.floor(minutes / 1440)} d${hours ? ` ${hours} h` : ""}${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
}

/** A warehouse's daily cut-off as the time input sends it: "14:00" (or "14:00:00"); empty for none. */
export function parseCutoff(text: string): { ok: true; time: string | null } | { ok: false; error: string } {
  const value = text.trim();
  if (!value) return { ok: true, time: null };
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/.exec(value);
  return m ? { ok: true, time: `${m[1]}:${m[2]}` } : { ok: false, error: "A time of day such as 14:00 (24-hour), or empty for no cut-off." };
}
