import { bigserial, doublePrecision, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { environmentEnum, timestamps } from "./columns";

/**
 * Integration health as data: one row per observation (a lag measured, an error seen, a gauge sampled), so the
 * dashboard can chart any metric over any window and alerts can be computed from the same rows. Tenant columns are
 * optional because some observations belong to the 3PL as a whole (queue depth across accounts).
 */
export const metricSamples = pgTable(
  "metric_samples",
  {
    // A counter key, not a public id: these rows never leave the dashboard and are written on hot paths.
    id: bigserial({ mode: "number" }).primaryKey(),
    name: text().notNull(),
    value: doublePrecision().notNull(),
    accountId: text(),
    environment: environmentEnum(),
    /** What the value is about: shop, sku, location, error type, queue… Small and flat. */
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index("metric_samples_name_recorded_at_idx").on(t.name, t.recordedAt)],
);

export type MetricSample = typeof metricSamples.$inferSelect;
export type NewMetricSample = typeof metricSamples.$inferInsert;
