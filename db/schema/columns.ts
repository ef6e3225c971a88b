import { sql } from "drizzle-orm";
import { pgEnum, text, timestamp } from "drizzle-orm/pg-core";

export const environmentEnum = pgEnum("environment", ["sandbox", "live"]);
/** The side of the deployment a key acts in; ids of one environment never resolve in the other. */
export type Environment = (typeof environmentEnum.enumValues)[number];

/** created_at / updated_at on every table. */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  // now() is the transaction start: every row of one transaction shares it, which the commit-safe cursors rely on.
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => sql`now()`),
};

/** Every tenant-owned row knows its account and environment; ids of one never resolve in the other. */
export const tenancy = {
  accountId: text().notNull(),
  environment: environmentEnum().notNull(),
};
