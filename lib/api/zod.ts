import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { COUNTRY_CODES, CURRENCY_CODES } from "@/lib/reference/iso-codes";

// The schemas that validate requests are the ones the OpenAPI document is generated from.
extendZodWithOpenApi(z);

export { z };

/** Text that PostgreSQL can store and a human can read: no NUL or other control characters, bounded length. */
export function text(max = 500) {
  return z
    .string()
    .max(max)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), "must not contain control characters");
}

// Neither ISO 8601 nor PostgreSQL has a year 0, and JavaScript writes years past 9999 as "+010000", which
// PostgreSQL refuses: instants from 0001-01-01 to 9999-12-31 (UTC) are accepted. That covers every real date and
// the "earliest date" sentinel clients send as updated_since (.NET's DateTime.MinValue is 0001-01-01T00:00:00Z).
const EARLIEST = Date.parse("0001-01-01T00:00:00Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");
const inRange = (ms: number) => ms >= EARLIEST && ms <= LATEST;

export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine((s) => inRange(Date.parse(s)), "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z")
  .openapi({ example: "2026-07-02T09:15:00Z" });
export const isoDate = z.iso
  .date()
  .refine((s) => inRange(Date.parse(`${s}T00:00:00Z`)), "must be between 0001-01-01 and 9999-12-31")
  .openapi({ example: "2026-07-08" });
export const positiveQuantity = z.number().int("must be a whole number").positive("must be greater than zero").max(1_000_000);
/** An amount (price, cost): never negative, so a sign is refused by its own message rather than as a bad format. */
export const decimalString = z
  .string()
  .regex(/^-?\d{1,10}(\.\d{1,4})?$/, "must be a decimal string such as \"19.99\"")
  .refine((s) => !s.startsWith("-"), "must not be negative")
  .openapi({ example: "19.99", description: "A decimal string, zero or more." });
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO-4217 code such as AUD")
  .refine((s) => CURRENCY_CODES.has(s), { error: (issue) => `'${String(issue.input)}' is not an ISO-4217 currency code` })
  .openapi({ example: "AUD", description: "An ISO-4217 currency code." });
export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, "must be an ISO-3166 alpha-2 code such as AU")
  .refine((s) => COUNTRY_CODES.has(s), { error: (issue) => `'${String(issue.input)}' is not an ISO-3166 alpha-2 country code` })
  .openapi({ example: "AU", description: "An officially assigned ISO-3166-1 alpha-2 country code (or XK, Kosovo)." });
export const money = z.object({ amount: decimalString, currency: currencyCode }).openapi("Money");
