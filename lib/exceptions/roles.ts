import type { DashboardRole } from "@/lib/auth/dashboard-users";

/** Who works the exceptions queue: acknowledge, assign, snooze, resolve (warehouse managers clear their exceptions). */
export const TRIAGE_ROLES = ["support", "warehouse", "ops", "admin"] as const satisfies readonly DashboardRole[];

/**
 * Who runs a kind's own fix from the queue (retry a dead push, replay an event or a delivery, route a held order
 * again): the same roles as on the pages that own those retries.
 */
export const FIX_ROLES = ["ops", "admin"] as const satisfies readonly DashboardRole[];
