import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatUsageQuery,
  localDay,
  MAX_CUSTOM_DAYS,
  parseUsageQuery,
  resolveUsageRange,
} from "./usage-range.js";

describe("usage ranges", () => {
  it("ends every preset today and counts today as one of its days", () => {
    expect(resolveUsageRange({ range: "today" }, "2026-12-07")).toEqual({
      startDate: "2026-12-07",
      endDate: "2026-12-07",
      days: 1,
    });
    expect(resolveUsageRange({ range: "7d" }, "2026-12-07")).toEqual({
      startDate: "2026-12-01",
      endDate: "2026-12-07",
      days: 7,
    });
    expect(resolveUsageRange({ range: "30d" }, "2026-03-01")).toEqual({
      startDate: "2026-01-31",
      endDate: "2026-03-01",
      days: 30,
    });
    expect(resolveUsageRange({ range: "90d" }, "2026-12-07")).toMatchObject({
      startDate: "2026-09-09",
      days: 90,
    });
  });

  it("takes a custom range as given, and says what to fix in a wrong one", () => {
    expect(
      resolveUsageRange({ range: "custom", from: "2026-11-28", to: "2026-12-02" }, "2026-12-07"),
    ).toEqual({
      startDate: "2026-11-28",
      endDate: "2026-12-02",
      days: 5,
    });
    expect(resolveUsageRange({ range: "custom", from: "2026-11-28" }, "2026-12-07")).toEqual({
      error: "Pick both a first and a last day for a custom range.",
    });
    expect(
      resolveUsageRange({ range: "custom", from: "2026-02-30", to: "2026-03-02" }, "2026-12-07"),
    ).toEqual({
      error: "Pick both a first and a last day for a custom range.",
    });
    expect(
      resolveUsageRange({ range: "custom", from: "2026-12-05", to: "2026-12-01" }, "2026-12-07"),
    ).toEqual({
      error: "The first day of the range comes after the last day: swap them.",
    });
    const long = resolveUsageRange({ range: "custom", from: "2024-01-01", to: "2026-01-01" }, "2026-12-07");
    expect(long).toEqual({
      error: `A custom range spans at most ${MAX_CUSTOM_DAYS} days; this one spans 732.`,
    });
  });

  it("lists the days of a range across a month and a leap day", () => {
    expect(daysBetween("2028-02-27", "2028-03-01")).toEqual([
      "2028-02-27",
      "2028-02-28",
      "2028-02-29",
      "2028-03-01",
    ]);
    expect(daysBetween("2026-12-02", "2026-12-01")).toEqual([]);
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("reads today's date in the browser's own calendar", () => {
    expect(localDay(new Date(2026, 11, 7, 23, 59))).toBe("2026-12-07");
    expect(localDay(new Date(2026, 0, 1, 0, 0))).toBe("2026-01-01");
  });

  it("keeps the query in the address and falls back to 7 days for anything unknown", () => {
    expect(parseUsageQuery(undefined)).toEqual({ range: "7d" });
    expect(parseUsageQuery("range=bogus&agent=")).toEqual({ range: "7d" });
    expect(parseUsageQuery("range=30d&agent=ops")).toEqual({ range: "30d", agentId: "ops" });
    const custom = { range: "custom" as const, from: "2026-11-01", to: "2026-11-30", agentId: "main" };
    expect(parseUsageQuery(formatUsageQuery(custom))).toEqual(custom);
    expect(formatUsageQuery({ range: "today", from: "2026-11-01" })).toBe("range=today");
  });
});
