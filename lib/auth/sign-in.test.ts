import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { unique } from "@/e2e/support/factories";
import { clientAddress, UNKNOWN_ADDRESS } from "@/lib/auth/client-address";
import { upsertDashboardUser } from "@/lib/auth/dashboard-users";
import { LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL } from "@/lib/auth/login-throttle";
import { signInWithPassword } from "@/lib/auth/sign-in";

const PASSWORD = "correct horse battery";
const email = () => `${unique("user").toLowerCase()}@example.test`;
// Addresses from the documentation range, random per test so runs sharing a database do not share budgets.
const address = () => `203.0.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const distinctAddresses = () => {
  const first = address();
  let second = address();
  while (second === first) second = address();
  return [first, second];
};

async function user() {
  const created = await upsertDashboardUser(getDb(), { email: email(), password: PASSWORD, role: "support" });
  return created.email;
}

const attempt = (who: string, password: string, from: string) => signInWithPassword(getDb(), { email: who, password, address: from });

describe("dashboard sign-in throttle", () => {
  it(`${LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL} wrong passwords from one address shut that address out of that e-mail only: the owner signs in from another`, async () => {
    const owner = await user();
    const colleague = await user();
    const [attacker, home] = distinctAddresses();
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL; i++) expect(await attempt(owner, `guess ${i}`, attacker)).toEqual({ ok: false, reason: "invalid" });

    expect(await attempt(owner, PASSWORD, attacker)).toEqual({ ok: false, reason: "throttled" });
    expect(await attempt(owner, PASSWORD, home)).toMatchObject({ ok: true, user: { email: owner } });
    // The shut-out is for that e-mail: another user behind the same address still signs in.
    expect(await attempt(colleague, PASSWORD, attacker)).toMatchObject({ ok: true, user: { email: colleague } });
  });

  it("the right password forgets the address's earlier failures at that e-mail", async () => {
    const owner = await user();
    const from = address();
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL - 1; i++) await attempt(owner, "typo", from);
    expect(await attempt(owner, PASSWORD, from)).toMatchObject({ ok: true });
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL - 1; i++) expect(await attempt(owner, "typo", from)).toMatchObject({ reason: "invalid" });
    expect(await attempt(owner, PASSWORD, from)).toMatchObject({ ok: true });
  });

  it(`one address trying many e-mails is throttled after ${LOGIN_ATTEMPTS_PER_ADDRESS} failures, whoever it tries next`, async () => {
    const owner = await user();
    const [sprayer, elsewhere] = distinctAddresses();
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS; i++) expect(await attempt(email(), "Summer2026!", sprayer)).toMatchObject({ reason: "invalid" });

    expect(await attempt(email(), "Summer2026!", sprayer)).toEqual({ ok: false, reason: "throttled" });
    expect(await attempt(owner, PASSWORD, sprayer)).toEqual({ ok: false, reason: "throttled" });
    expect(await attempt(owner, PASSWORD, elsewhere)).toMatchObject({ ok: true });
  });

  it("parallel guesses cannot overrun the budget: each attempt is counted before its password is checked", async () => {
    const owner = await user();
    const from = address();
    const outcomes = await Promise.all(Array.from({ length: LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL + 5 }, (_, i) => attempt(owner, `guess ${i}`, from)));
    expect(outcomes.filter((o) => !o.ok && o.reason === "invalid")).toHaveLength(LOGIN_ATTEMPTS_PER_ADDRESS_AND_EMAIL);
    expect(outcomes.filter((o) => !o.ok && o.reason === "throttled")).toHaveLength(5);
  });

  it("signing in successfully does not use up a shared address's budget", async () => {
    const from = address();
    for (const person of await Promise.all(Array.from({ length: 3 }, () => user()))) expect(await attempt(person, PASSWORD, from)).toMatchObject({ ok: true });
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS; i++) expect(await attempt(email(), "wrong", from)).toMatchObject({ reason: "invalid" });
  });
});

describe("client address for throttling", () => {
  it("reads the entry the outermost trusted proxy appended, never one the client sent", () => {
    expect(clientAddress("198.51.100.7", 0)).toBe("198.51.100.7"); // next start itself, no proxy
    expect(clientAddress("10.0.0.1, 6.6.6.6, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress("6.6.6.6, 198.51.100.7, 192.0.2.10", 2)).toBe("198.51.100.7");
    expect(clientAddress("198.51.100.7", 3)).toBe("198.51.100.7"); // came in past fewer proxies: the leftmost
  });

  it("normalises spellings and ports, counts IPv6 by its /64, and lumps unreadable values together", () => {
    expect(clientAddress("198.51.100.7:51234", 1)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress("[2001:db8:1:2:aaaa::1]:443", 1)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:0db8:0001:0002:ffff:ffff:ffff:ffff", 1)).toBe("2001:db8:1:2::/64");
    for (const junk of [undefined, "", " , ", "not-an-ip", "999.1.1.1", "fe80::1%eth0 ; drop"]) expect(clientAddress(junk, 1)).toBe(UNKNOWN_ADDRESS);
  });
});
