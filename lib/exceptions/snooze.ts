import { z } from "zod";

/** How far ahead a snooze may go: an exception put away for longer is one nobody will come back to. */
export const MAX_SNOOZE_DAYS = 30;

/**
 * A wall-clock time as typed in a datetime-local input ("2026-12-08T14:30"), read in the dashboard's time zone (the
 * one every time on the page is shown in), as an instant. Null when it is not such a time.
 */
export function wallClockToDate(local: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  if (Number.isNaN(asUtc)) return null;
  // The zone's offset at that moment, found by printing the guess in the zone; twice, for a change of offset between.
  let instant = asUtc;
  for (let i = 0; i < 2; i++) instant = asUtc - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** Why a snooze time is refused, or null when it is fine: it must lie ahead, and not further than MAX_SNOOZE_DAYS. */
export function snoozeProblem(until: Date, now = new Date()): string | null {
  if (until.getTime() <= now.getTime()) return "Choose a time in the future.";
  if (until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * 86_400_000) return `Snooze for at most ${MAX_SNOOZE_DAYS} days.`;
  return null;
}

/**
 * The form's "until" field: a datetime-local value in the dashboard's zone, or an ISO time with its offset. The zone
 * is read when a form is parsed, not when the schema is built.
 */
export function snoozeUntilField(timeZone: () => string) {
  return z
    .string({ error: "Choose when it should come back." })
    .trim()
    .min(1, "Choose when it should come back.")
    .transform((text, ctx) => {
      const at = /[zZ]|[+-]\d{2}:\d{2}$/.test(text) ? new Date(text) : wallClockToDate(text, timeZone());
      if (!at || Number.isNaN(at.getTime())) {
        ctx.addIssue({ code: "custom", message: "Give a date and time, e.g. 2026-12-08 14:30." });
        return z.NEVER;
      }
      const problem = snoozeProblem(at);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return at;
    });
}

/** An instant as a datetime-local value in the zone ("2026-12-08T14:30"): the snooze form's default. */
export function toWallClock(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The snooze form's suggestion: four hours from now, as the form shows it. */
export function suggestedSnooze(timeZone: string, now = new Date()): string {
  return toWallClock(new Date(now.getTime() + 4 * 3_600_000), timeZone);
}
