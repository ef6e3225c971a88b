import type { Environment } from "@/db/schema";

/** The system a change came from; it is written on every timeline event and ledger row. */
export type Source = "api" | "sandbox" | "wms" | "carrier" | "shopify" | "dashboard" | "system";

/** Whose data: one account in one environment. Every tenant-owned row is read and written through both. */
export type Tenant = { accountId: string; environment: Environment };

/**
 * What every domain function receives besides its input: whose data (tenant + environment),
 * which system is acting, and who (a key id, a dashboard user's email, a channel).
 */
export type DomainContext = Tenant & {
  source: Source;
  actor: string;
  requestId?: string;
};
