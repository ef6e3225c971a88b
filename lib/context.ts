import type { Environment } from "@/lib/auth/api-keys";

/** The system a change came from; it is written on every timeline event and ledger row. */
export type Source = "api" | "sandbox" | "wms" | "carrier" | "shopify" | "dashboard" | "system";

/**
 * What every domain function receives besides its input: whose data (tenant + environment),
 * which system is acting, and who (a key id, a dashboard user's email, a channel).
 */
export type DomainContext = {
  accountId: string;
  environment: Environment;
  source: Source;
  actor: string;
  requestId?: string;
};
