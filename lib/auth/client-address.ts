import ipaddr from "ipaddr.js";

/** What requests whose address cannot be read share: a malformed header buys no budget of its own. */
export const UNKNOWN_ADDRESS = "unknown";

/** `1.2.3.4:5678` and `[2001:db8::1]:5678` (some proxies append the port) → the address alone. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4WithPort ? v4WithPort[1] : entry;
}

/**
 * The address a request comes from, as far as the deployment lets the app know it, for throttling.
 *
 * `next start` sets X-Forwarded-For to the connecting address only when the request has none, and every reverse
 * proxy appends the address it saw; so the entry to believe is the one the outermost of our own proxies appended,
 * the `trustedHops`-th from the right (1: one proxy, or none). Entries further left are whatever the client sent.
 * IPv6 addresses count by their /64 prefix, which one subscriber usually holds whole.
 */
export function clientAddress(forwardedFor: string | null | undefined, trustedHops: number): string {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length) return UNKNOWN_ADDRESS;
  const entry = withoutPort(entries[Math.max(0, entries.length - Math.max(1, trustedHops))]);
  if (!ipaddr.isValid(entry)) return UNKNOWN_ADDRESS;
  const address = ipaddr.process(entry);
  if (address.kind() === "ipv4") return address.toString();
  const prefix = ipaddr.IPv6.networkAddressFromCIDR(`${address.toNormalizedString()}/64`);
  return `${prefix.toRFC5952String()}/64`;
}
