import { describe, expect, it } from "vitest";
import { dayKey, formatClock, formatDateTime, formatDay } from "./format-time";

describe("the dashboard's time formatter", () => {
  it("writes a quarter past midnight as 00:15, as the browser does (not Node's 24:15)", () => {
    const at = "2026-12-05T13:15:00Z"; // 00:15 on 6 December in Sydney
    expect(formatClock(at, "Australia/Sydney")).toBe("00:15");
    expect(formatDateTime(at, "Australia/Sydney")).toBe("6 Dec, 00:15 AEDT");
  });

  it("tells the day in the zone it is given", () => {
    const at = new Date("2026-12-05T23:30:00Z");
    expect(formatDay(at, "Australia/Sydney")).toBe("6 December");
    expect(formatDay(at, "UTC")).toBe("5 December");
    expect(dayKey(at, "Australia/Sydney")).toBe("2026-12-06");
  });
});
