import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests, setEnvForTests } from "@/lib/env";
import { deliveryOptions } from "./deliver";
import { DEFAULT_RETRY_POLICY, nextRetryDelay, parseRetryAfter, retryPolicy } from "./retry";

const t0 = new Date("2026-07-02T00:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

afterEach(resetEnvForTests);

describe("retry schedule", () => {
  it("follows 10 s, 1 m, 5 m, 30 m, then hourly, and dies 24 h after the first attempt", () => {
    const delays: number[] = [];
    let now = 0;
    for (let failed = 1; failed < 100; failed++) {
      const delay = nextRetryDelay(DEFAULT_RETRY_POLICY, failed, t0, at(now));
      if (delay === null) break;
      delays.push(delay);
      now += delay;
    }
    expect(delays.slice(0, 6)).toEqual([10, 60, 300, 1800, 3600, 3600]);
    expect(now).toBeLessThanOrEqual(24 * 3600);
    expect(now + 3600).toBeGreaterThan(24 * 3600);
    expect(delays.length).toBe(4 + 23);
  });

  it("honours WEBHOOK_RETRY_SCHEDULE_SECONDS exactly and is dead after its last step", () => {
    setEnvForTests({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,2,4" });
    const { policy } = deliveryOptions();
    expect([1, 2, 3, 4].map((n) => nextRetryDelay(policy, n, t0, at(0)))).toEqual([1, 2, 4, null]);
    setEnvForTests({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "" });
    expect(deliveryOptions().policy).toBe(DEFAULT_RETRY_POLICY);
    expect(retryPolicy(undefined)).toBe(DEFAULT_RETRY_POLICY);
  });

  it("lets Retry-After move the next attempt, clamped, without reviving a dead delivery", () => {
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 1, t0, at(0), 120)).toBe(120);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 1, t0, at(0), 0)).toBe(1);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 1, t0, at(0), 10 ** 9)).toBe(3600);
    expect(nextRetryDelay(retryPolicy([1]), 1, t0, at(0), 5)).toBe(5);
    expect(nextRetryDelay(retryPolicy([1]), 2, t0, at(0), 5)).toBeNull();
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 5, t0, at(24 * 3600 - 60), 120)).toBeNull();
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("30", t0)).toBe(30);
    expect(parseRetryAfter(new Date(t0.getTime() + 90_000).toUTCString(), t0)).toBe(90);
    expect(parseRetryAfter("soon", t0)).toBeNull();
    expect(parseRetryAfter(null, t0)).toBeNull();
  });
});
