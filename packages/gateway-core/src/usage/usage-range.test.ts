import { describe, expect, it } from "vitest";
import { daySegments, parseUtcOffset, resolveUsageRange } from "./usage-range.js";

const noon = Date.parse("2026-03-10T12:00:00.000Z");

describe("resolveUsageRange", () => {
  it("is the last N UTC days up to today, 30 by default; explicit dates win", () => {
    expect(resolveUsageRange({ days: 1 }, noon)).toMatchObject({
      startMs: Date.parse("2026-03-10T00:00:00.000Z"),
      endMs: Date.parse("2026-03-10T23:59:59.999Z"),
      startDate: "2026-03-10",
      days: 1,
    });
    expect(resolveUsageRange({}, noon)).toMatchObject({ startDate: "2026-02-09", days: 30 });
    expect(resolveUsageRange({ range: "7d" }, noon)).toMatchObject({ startDate: "2026-03-04", days: 7 });
    expect(
      resolveUsageRange({ startDate: "2026-01-01", endDate: "2026-01-31", days: 3 }, noon),
    ).toMatchObject({
      days: 31,
    });
  });

  it("reads days in a fixed offset or an IANA zone, as OpenClaw does", () => {
    const plus530 = resolveUsageRange({ mode: "specific", utcOffset: "UTC+5:30", days: 1 }, noon);
    expect(plus530.startMs).toBe(Date.parse("2026-03-09T18:30:00.000Z"));
    const vienna = resolveUsageRange(
      { mode: "specific", timeZone: "Europe/Vienna", startDate: "2026-03-29", endDate: "2026-03-29" },
      noon,
    );
    // The day daylight saving starts: it begins at UTC+1 and ends at UTC+2, 23 hours later.
    expect(vienna.startMs).toBe(Date.parse("2026-03-28T23:00:00.000Z"));
    expect(vienna.endMs).toBe(Date.parse("2026-03-29T21:59:59.999Z"));
    expect(vienna.dayOfMs(Date.parse("2026-03-29T21:30:00.000Z"))).toBe("2026-03-29");
    expect(vienna.dayOfMs(Date.parse("2026-03-29T22:30:00.000Z"))).toBe("2026-03-30");
  });

  it("cuts a zone's range where its offset changes", () => {
    const from = Date.parse("2026-03-01T00:00:00.000Z");
    const to = Date.parse("2026-04-30T00:00:00.000Z");
    expect(daySegments({ kind: "zone", timeZone: "Europe/Vienna" }, from, to)).toEqual([
      { from, to: Date.parse("2026-03-29T00:59:59.999Z"), offsetMs: 3_600_000 },
      { from: Date.parse("2026-03-29T01:00:00.000Z"), to, offsetMs: 7_200_000 },
    ]);
    expect(daySegments({ kind: "offset", minutes: -240 }, from, to)).toEqual([
      { from, to, offsetMs: -14_400_000 },
    ]);
  });

  it("refuses what OpenClaw refuses", () => {
    expect(parseUtcOffset("UTC+15")).toBeUndefined();
    expect(parseUtcOffset("UTC-12:00")).toBe(-720);
    expect(() => resolveUsageRange({ mode: "specific", timeZone: "Nowhere/Land" }, noon)).toThrow(/IANA/);
    expect(() => resolveUsageRange({ startDate: "2026-02-30", endDate: "2026-03-01" }, noon)).toThrow(
      /calendar date/,
    );
    expect(() => resolveUsageRange({ startDate: "2026-03-02", endDate: "2026-03-01" }, noon)).toThrow(
      /after/,
    );
  });
});
