import { z } from "zod";
import { STUCK_STAGES } from "@/lib/stuck-orders/stages";

/** "Older than" choices of the filter bar, in minutes. */
export const AGE_CHOICES = [
  { minutes: 15, label: "15 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 240, label: "4 h" },
  { minutes: 1440, label: "1 day" },
  { minutes: 4320, label: "3 days" },
] as const;

const blankIsAbsent = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsAbsent, schema.optional());

/**
 * The queue's filters as the URL carries them, for the JSON route and the page alike (one parser, so a link to a
 * filtered queue and the live refresh always mean the same thing). Empty values mean "no filter".
 */
export const queueQuerySchema = z.object({
  kind: optional(z.string().regex(/^[a-z_]{1,50}$/, "kind is a kind of exception, e.g. stuck_order.")),
  stage: optional(z.enum(STUCK_STAGES, { error: `stage is one of ${STUCK_STAGES.join(", ")}.` })),
  account: optional(z.string().max(100)),
  env: optional(z.enum(["live", "sandbox"], { error: "env is live or sandbox." })),
  warehouse: optional(z.string().max(100)),
  older_than: optional(z.coerce.number({ error: "older_than is a number of minutes." }).int("older_than is a whole number of minutes.").min(1).max(525_600)),
  assigned: optional(z.enum(["me", "none"], { error: "assigned is me or none." })),
  snoozed: optional(z.enum(["1"], { error: "snoozed is 1 (show only the snoozed) or absent." })),
  q: optional(z.string().trim().max(100, "q is at most 100 characters.")),
  sort: optional(z.enum(["oldest", "newest"], { error: "sort is oldest or newest." })),
  limit: optional(z.coerce.number().int().min(1).max(200)),
});

export type QueueQuery = z.output<typeof queueQuerySchema>;

/** The query as URL parameters again (for links and the live refresh), without the empty ones. */
export function queueSearchParams(query: QueueQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(name, String(value));
  return params;
}
