import { env } from "@/lib/env";

/**
 * The time zone the dashboard shows times in. One fixed zone (not the browser's) so the server-rendered page and
 * the browser agree, and everyone on a call reads the same clock; the warehouses are Australian by default.
 */
export function displayTimeZone(): string {
  // A zone Intl does not know stops the server at start (lib/env.ts), so it cannot take the dashboard down here.
  return env().DASHBOARD_TIMEZONE;
}
