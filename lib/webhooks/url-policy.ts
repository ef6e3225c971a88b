import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { ValidationError } from "@/lib/errors";
import { env } from "@/lib/env";

/**
 * Where webhooks may go. No subscription may reach private, loopback or link-local addresses (nor any other
 * non-public range): the hub would otherwise be a proxy into its own network. The host is resolved and EVERY address
 * checked at subscription time and again at each delivery, and the connection goes to the address that was checked,
 * so a DNS answer that changes in between (rebinding) cannot reach an internal address. Sandbox and live keys share
 * this policy: a sandbox key is what every prospective partner gets, and the same process delivers for both.
 * WEBHOOK_ALLOW_PRIVATE_URLS=true lifts the rule where private receivers are wanted (self-hosting, local testing).
 */

export const MAX_URL_LENGTH = 2048;

export class BlockedAddressError extends Error {
  readonly code = "EADDRNOTALLOWED";
  constructor(readonly hostname: string, readonly address: string) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
  }
}

/** Asked at each use, so a test can switch it (setEnvForTests) between one request and the next. */
export function privateUrlsAllowed(): boolean {
  return env().WEBHOOK_ALLOW_PRIVATE_URLS;
}

export function mustBePublic(): boolean {
  return !privateUrlsAllowed();
}

/** IANA's global unicast space for IPv6: everything outside it is local, special or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/**
 * Only global unicast addresses. ipaddr.process unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1 is loopback); the
 * IPv4-compatible form (::127.0.0.1) is no range ipaddr.js names, so IPv6 must also lie in 2000::/3.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  if (ip.range() !== "unicast") return false;
  return ip instanceof ipaddr.IPv6 ? ip.match(GLOBAL_UNICAST_V6) : true;
}

/** The URL's host without IPv6 brackets, as the resolver and the socket want it. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/** A syntactically acceptable webhook URL: absolute http(s), a host, no credentials. */
export function parseWebhookUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError("url must be an absolute http:// or https:// URL.", "url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ValidationError("url must use https:// or http://.", "url");
  if (url.username || url.password) throw new ValidationError("url must not contain credentials; authenticate deliveries by their signature.", "url");
  if (!hostOf(url)) throw new ValidationError("url must name a host.", "url");
  return url;
}

function resolveAll(hostname: string, family: number = 0): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true, family, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/** Resolves the host and returns its addresses, refusing the lot if any one of them is not public. */
export async function resolvePublicAddresses(hostname: string): Promise<LookupAddress[]> {
  const addresses = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) }] : await resolveAll(hostname);
  const blocked = addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw new BlockedAddressError(hostname, blocked.address);
  return addresses;
}

/** The subscription-time check (422 validation_error on field url). */
export async function assertAllowedTarget(url: URL): Promise<void> {
  if (!mustBePublic()) return;
  try {
    await resolvePublicAddresses(hostOf(url));
  } catch (error) {
    if (error instanceof BlockedAddressError) {
      throw new ValidationError(`url must point to a public address: ${error.hostname} is ${error.address}.`, "url");
    }
    throw new ValidationError(`url host '${hostOf(url)}' could not be resolved.`, "url");
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves once, refuses non-public answers when asked to, and hands the socket
 * exactly the addresses it checked. (IP-literal hosts never reach a lookup: check those with resolvePublicAddresses.)
 */
export function checkedLookup(requirePublic: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const resolved = requirePublic ? resolvePublicAddresses(hostname) : resolveAll(hostname, options.family === undefined ? 0 : Number(options.family));
    resolved.then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}
