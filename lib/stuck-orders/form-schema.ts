import { z } from "zod";
import { formField, STALE_PAGE } from "@/lib/dashboard/form-data";
import { parseCutoff, parseDuration } from "./duration";
import { levelOf } from "./settings";
import { THRESHOLD_KEYS, type ThresholdKey } from "./stages";

/**
 * What the threshold and cut-off forms send, checked as the forms check it while the user types (duration.ts):
 * one field per threshold key, named by the key; empty means "no override at this level".
 */

const level = z.string({ error: STALE_PAGE }).transform((text, ctx) => levelOf(text) ?? (ctx.addIssue({ code: "custom", message: STALE_PAGE }), z.NEVER));

function minutesOf(text: string, ctx: z.RefinementCtx): number | null {
  const parsed = parseDuration(text);
  if (parsed.ok) return parsed.minutes;
  ctx.addIssue({ code: "custom", message: parsed.error });
  return z.NEVER;
}

const duration = formField.text().transform(minutesOf);
const givenDuration = z
  .string()
  .optional()
  .transform((text, ctx) => (text === undefined ? undefined : minutesOf(text, ctx)));

export const thresholdsFormSchema = z
  .object({ level, ...(Object.fromEntries(THRESHOLD_KEYS.map((key) => [key, duration])) as Record<ThresholdKey, typeof duration>) })
  .transform(({ level, ...minutes }) => ({ level, minutes: minutes as Record<ThresholdKey, number | null> }));

export const cutoffFormSchema = z.object({
  warehouseId: formField.id(/^wh_[A-Za-z0-9_-]{1,80}$/),
  cutoffTime: formField.text().transform((text, ctx) => {
    const parsed = parseCutoff(text);
    if (parsed.ok) return parsed.time;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }),
});

/** The same fields, from the preview route's query string: a key left out keeps its stored value. */
export const previewQuerySchema = z
  .object({ level, ...(Object.fromEntries(THRESHOLD_KEYS.map((key) => [key, givenDuration])) as Record<ThresholdKey, typeof givenDuration>) })
  .transform(({ level, ...given }) => ({
    level,
    minutes: Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Record<ThresholdKey, number | null>>,
  }));
