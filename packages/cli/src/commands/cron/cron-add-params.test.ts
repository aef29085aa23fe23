import { describe, expect, it } from "vitest";
import { CliError } from "../../cli-error.js";
import { buildCronAddParams, parseDuration, resolveAt } from "./cron-add-params.js";

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe("openclaw cron add flags", () => {
  it("builds an isolated agent-turn job on a cron expression that delivers to a Telegram peer", () => {
    expect(
      buildCronAddParams(
        {
          name: "Morning brief",
          cron: "0 7 * * *",
          tz: "Europe/Vienna",
          message: "Summarize overnight updates.",
          channel: "telegram",
          to: "1001",
          timeoutSeconds: "120",
        },
        NOW,
      ),
    ).toEqual({
      name: "Morning brief",
      schedule: { kind: "cron", expr: "0 7 * * *", tz: "Europe/Vienna" },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Summarize overnight updates.", timeoutSeconds: 120 },
      delivery: { mode: "announce", channel: "telegram", to: "1001" },
    });
  });

  it("turns --every and a relative --at into OpenClaw's schedule shapes", () => {
    const every = buildCronAddParams({ name: "n", every: "1h30m", message: "m", session: "main" }, NOW);
    expect(every).toMatchObject({ schedule: { kind: "every", everyMs: 5_400_000 }, sessionTarget: "main" });
    const at = buildCronAddParams({ name: "n", at: "20m", systemEvent: "wake up", keepAfterRun: true }, NOW);
    expect(at).toMatchObject({
      schedule: { kind: "at", at: "2026-06-01T12:20:00.000Z" },
      payload: { kind: "systemEvent", text: "wake up" },
      deleteAfterRun: false,
      delivery: { mode: "none" },
    });
  });

  it("reads an offset-less --at as UTC, or as wall-clock time in --tz", () => {
    expect(resolveAt("2027-02-01T16:00", undefined, NOW)).toBe("2027-02-01T16:00:00.000Z");
    expect(resolveAt("2027-02-01T16:00", "Europe/Vienna", NOW)).toBe("2027-02-01T15:00:00.000Z");
    expect(resolveAt("2027-07-01T16:00:00", "America/New_York", NOW)).toBe("2027-07-01T20:00:00.000Z");
    expect(resolveAt("2027-02-01T16:00:00+02:00", "Europe/Vienna", NOW)).toBe("2027-02-01T14:00:00.000Z");
  });

  it("refuses missing or contradictory flags with a usage error", () => {
    const usage = (flags: Parameters<typeof buildCronAddParams>[0]) => {
      try {
        buildCronAddParams(flags, NOW);
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as CliError).exitCode;
      }
      throw new Error("accepted");
    };
    expect(usage({ cron: "* * * * *", message: "m" })).toBe(2);
    expect(usage({ name: "n", message: "m" })).toBe(2);
    expect(usage({ name: "n", cron: "* * * * *", every: "1m", message: "m" })).toBe(2);
    expect(usage({ name: "n", every: "1m" })).toBe(2);
    expect(usage({ name: "n", every: "1m", tz: "UTC", message: "m" })).toBe(2);
    expect(usage({ name: "n", every: "1m", message: "m", channel: "telegram" })).toBe(2);
    expect(usage({ name: "n", every: "1m", message: "m", session: "current" })).toBe(2);
    expect(() => parseDuration("soon", "--every")).toThrow(/not a duration/);
    expect(() => resolveAt("next tuesday", undefined, NOW)).toThrow(/not a time/);
  });
});
