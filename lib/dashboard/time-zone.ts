/**
 * The time zone the dashboard shows times in. One fixed zone (not the browser's) so the server-rendered page and
 * the browser agree, and everyone on a call reads the same clock; the warehouses are Australian by default.
 */
export function displayTimeZone(): string {
  const configured = process.env.DASHBOARD_TIMEZONE;
  if (configured) {
    try {
      new Intl.DateTimeFormat("en-AU", { timeZone: configured });
      return configured;
    } catch {
      // fall through to the default: a typo in the setting must not take the dashboard down
    }
  }
  return "Australia/Sydney";
}
