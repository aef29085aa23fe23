import { describe, expect, it } from "vitest";
import {
  lastDailyBoundary,
  matchResetTrigger,
  resetPolicyFor,
  sessionExpiry,
} from "./session-reset-policy.js";

const at = (text: string) => new Date(text).getTime();

describe("resetPolicyFor", () => {
  const config = {
    reset: { mode: "daily" as const, atHour: 4 },
    resetByType: { direct: { mode: "idle" as const, idleMinutes: 240 } },
    resetByChannel: { discord: { mode: "idle" as const, idleMinutes: 30 } },
  };

  it("the channel's entry wins outright, then the chat type's, then reset", () => {
    expect(resetPolicyFor(config, { channel: "discord", chatType: "direct" })).toEqual({
      mode: "idle",
      idleMinutes: 30,
    });
    expect(resetPolicyFor(config, { channel: "telegram", chatType: "direct" })).toEqual({
      mode: "idle",
      idleMinutes: 240,
    });
    expect(resetPolicyFor(config, { channel: "telegram", chatType: "group" })).toEqual(config.reset);
  });

  it('no policy, or mode "none" (OpenClaw\'s default), never expires', () => {
    expect(resetPolicyFor({}, { channel: "x", chatType: "group" })).toBeUndefined();
    expect(resetPolicyFor({ reset: { mode: "none" } }, { chatType: "thread" })).toBeUndefined();
  });
});

describe("sessionExpiry", () => {
  it("daily: a session started before today's reset hour expires; one started after it is fresh", () => {
    const now = at("2026-03-10T09:00:00");
    const policy = { mode: "daily" as const, atHour: 4 };
    expect(sessionExpiry(policy, { startedAt: at("2026-03-10T03:59:00"), lastInteractionAt: now }, now)).toBe(
      "daily",
    );
    expect(
      sessionExpiry(policy, { startedAt: at("2026-03-10T04:01:00"), lastInteractionAt: undefined }, now),
    ).toBeUndefined();
  });

  it("daily before the hour counts from yesterday's boundary", () => {
    const now = at("2026-03-10T02:00:00");
    expect(lastDailyBoundary(now, 4)).toBe(at("2026-03-09T04:00:00"));
    expect(
      sessionExpiry({ mode: "daily" }, { startedAt: at("2026-03-09T05:00:00"), lastInteractionAt: now }, now),
    ).toBeUndefined();
  });

  it("idle: expires after idleMinutes without a message (default 60); daily + idleMinutes: whichever first", () => {
    const now = at("2026-03-10T12:00:00");
    const started = at("2026-03-10T05:00:00");
    expect(
      sessionExpiry(
        { mode: "idle", idleMinutes: 30 },
        { startedAt: started, lastInteractionAt: now - 31 * 60_000 },
        now,
      ),
    ).toBe("idle");
    expect(
      sessionExpiry({ mode: "idle" }, { startedAt: started, lastInteractionAt: now - 59 * 60_000 }, now),
    ).toBeUndefined();
    expect(
      sessionExpiry(
        { mode: "daily", atHour: 4, idleMinutes: 10 },
        { startedAt: started, lastInteractionAt: now - 11 * 60_000 },
        now,
      ),
    ).toBe("idle");
  });
});

describe("matchResetTrigger", () => {
  it("matches a trigger at the start, case-insensitively, and keeps the text after it (later lines too)", () => {
    expect(matchResetTrigger("/TELL hello\nsecond line", ["/tell"])).toEqual({ rest: "hello\nsecond line" });
    expect(matchResetTrigger("  start over", ["start over"])).toEqual({ rest: "" });
  });

  it("a longer word that begins like a trigger is no trigger", () => {
    expect(matchResetTrigger("/telling you", ["/tell"])).toBeUndefined();
    expect(matchResetTrigger("hello", [])).toBeUndefined();
  });
});
