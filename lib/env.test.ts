import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { configuration, ConfigurationError, env, resetEnvForTests, retrySchedule, setEnvForTests, type EnvValues } from "./env";

afterEach(() => {
  resetEnvForTests();
  vi.unstubAllEnvs();
});

/** The rows of the README's configuration table, as written. */
function readmeTable(): { name: string; default: string; description: string }[] {
  const readme = readFileSync(path.resolve("README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Configuration\n"), readme.indexOf("\n## ", readme.indexOf("\n## Configuration\n") + 1));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [, name, shownDefault, description] = /^\| `([A-Z0-9_]+)` \| (.*?) \| (.*) \|$/.exec(line) ?? [line, "", "", ""];
      return { name, default: shownDefault, description };
    });
}

function refusal(values: EnvValues): ConfigurationError {
  setEnvForTests(values);
  try {
    env();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe("the configuration", () => {
  it("is documented by the README's table: every variable, in order, with its default and meaning, and nothing else", () => {
    expect(readmeTable()).toEqual(configuration.map(({ name, default: shownDefault, description }) => ({ name, default: shownDefault, description })));
  });

  it.each([
    ["TRUSTED_PROXIES", "eleven", "a whole number from 0 to 10"],
    ["TRUSTED_PROXIES", "11", "a whole number from 0 to 10"],
    ["PORT", "70000", "a whole number from 1 to 65535"],
    ["API_RATE_LIMIT_PER_MINUTE", "0", "a whole number, 1 or more"],
    ["IDEMPOTENCY_WAIT_MS", "2.5", "a whole number, 1 or more"],
    ["DATABASE_URL", "mysql://hub@db.internal/hub", "a postgres:// URL"],
    ["REDIS_URL", "localhost:6379", "a redis:// or rediss:// URL"],
    ["NEXTAUTH_URL", "hub.example.com", "an http:// or https:// URL"],
    ["SECRETS_KEY", Buffer.alloc(16, 1).toString("base64"), "the base64 encoding of exactly 32 bytes"],
    ["DASHBOARD_TIMEZONE", "Mars/Olympus_Mons", "an IANA time zone"],
    ["WORKER", "yes", "on or off"],
    ["DATABASE_PREPARE", "no", "true or false"],
    ["WEBHOOK_ALLOW_PRIVATE_URLS", "yes", "true or false"],
    ["NODE_ENV", "staging", "development, production or test"],
    ["WEBHOOK_RETRY_SCHEDULE_SECONDS", "1,x", "seconds separated by commas"],
    ["SHOPIFY_PUSH_RETRY_SCHEDULE_SECONDS", "10,-1", "seconds separated by commas"],
  ] as const)("refuses %s=%s in one line that names it and says what it must be, without echoing the value", (name, value, expectation) => {
    const error = refusal({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message.startsWith(`${name} must be ${expectation}`)).toBe(true);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain(value);
  });

  it("names every malformed variable in the one line, the first as the one to report", () => {
    const error = refusal({ PORT: "http", WORKER: "maybe" });
    expect(error.variable).toBe("PORT");
    expect(error.message).toBe("PORT must be a whole number from 1 to 65535; WORKER must be on or off.");
  });

  it("gives each unset or empty variable its documented default, parsed like a value that is set", () => {
    setEnvForTests({ DATA_DIR: undefined, WORKER: "", DATABASE_URL: "", WEBHOOK_ALLOW_PRIVATE_URLS: undefined });
    expect(env()).toMatchObject({
      DATA_DIR: "./.data",
      WORKER: "on",
      PORT: 3000,
      TRUSTED_PROXIES: 0,
      DATABASE_PREPARE: true,
      WEBHOOK_ALLOW_PRIVATE_URLS: false,
      SHOPIFY_INTAKE_RETRY_SCHEDULE_SECONDS: [5, 30, 120, 600, 1800, 3600, 3600, 3600],
    });
    expect(env().DATABASE_URL).toBeUndefined();
    expect(env().WEBHOOK_RETRY_SCHEDULE_SECONDS).toBeUndefined();
  });

  it("is parsed once and kept, until a test changes a value", () => {
    const first = env();
    expect(env()).toBe(first);
    setEnvForTests({ WEBHOOK_ALLOW_PRIVATE_URLS: "false" });
    expect(env()).not.toBe(first);
    expect(env().WEBHOOK_ALLOW_PRIVATE_URLS).toBe(false);
    resetEnvForTests();
    expect(env().WEBHOOK_ALLOW_PRIVATE_URLS).toBe(true);
  });

  it("in tests is the suite's own: a variable exported in the shell running them changes nothing", () => {
    vi.stubEnv("TRUSTED_PROXIES", "3");
    vi.stubEnv("SECRETS_KEY", Buffer.alloc(32, 8).toString("base64"));
    vi.stubEnv("API_RATE_LIMIT_PER_MINUTE", "not a number");
    resetEnvForTests();
    expect(env().TRUSTED_PROXIES).toBe(0);
    expect(env().SECRETS_KEY).toBe(Buffer.alloc(32, 3).toString("base64"));
    expect(env().API_RATE_LIMIT_PER_MINUTE).toBe(600);
  });
});

describe("retrySchedule, the one parser of every queue's retry schedule", () => {
  it("reads seconds separated by commas, spaces allowed, zero and fractions included", () => {
    expect(retrySchedule.parse("5, 30 ,120")).toEqual([5, 30, 120]);
    expect(retrySchedule.parse("0,0.2")).toEqual([0, 0.2]);
  });

  it.each(["", "1,,2", "x", "-1", "1e9", "1;2"])("refuses %j", (text) => {
    expect(retrySchedule.safeParse(text).success).toBe(false);
  });
});
