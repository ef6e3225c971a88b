import { describe, expect, it } from "vitest";
import { countryCode, currencyCode, decimalString, money } from "@/lib/api/zod";
import { COUNTRY_CODES, CURRENCY_CODES } from "./iso-codes";

describe("ISO codes", () => {
  it("countries: the 249 assigned alpha-2 codes and XK; reserved, withdrawn and private-use codes are not countries", () => {
    expect(COUNTRY_CODES.size).toBe(250);
    for (const code of ["AU", "NZ", "GB", "US", "DE", "CW", "SS", "XK"]) expect(countryCode.safeParse(code).success, code).toBe(true);
    for (const code of ["XX", "UK", "EU", "ZZ", "YU", "AA", "QO", "au"]) expect(countryCode.safeParse(code).success, code).toBe(false);
    expect(countryCode.safeParse("XX").error?.issues[0].message).toBe("'XX' is not an ISO-3166 alpha-2 country code");
  });

  it("currencies: ISO-4217 codes in use; the no-currency and testing codes are not", () => {
    for (const code of ["AUD", "NZD", "USD", "EUR", "JPY", "GBP"]) expect(currencyCode.safeParse(code).success, code).toBe(true);
    for (const code of ["XXX", "XTS", "ABC", "aud"]) expect(currencyCode.safeParse(code).success, code).toBe(false);
    expect(CURRENCY_CODES.has("XXX")).toBe(false);
  });

  it("amounts are zero or more, a negative one refused by its own message", () => {
    for (const amount of ["0", "0.00", "19.99", "1234567890.1234"]) expect(decimalString.safeParse(amount).success, amount).toBe(true);
    expect(decimalString.safeParse("-1.00").error?.issues.map((i) => i.message)).toEqual(["must not be negative"]);
    expect(money.safeParse({ amount: "-0.01", currency: "AUD" }).error?.issues[0].path).toEqual(["amount"]);
  });
});
