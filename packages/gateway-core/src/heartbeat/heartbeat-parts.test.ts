import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OpenClawConfigSchema } from "../config/index.js";
import { isWithinActiveHours } from "./active-hours.js";
import { isEffectivelyEmpty, readHeartbeatFile } from "./heartbeat-file.js";
import { classifyHeartbeatReply } from "./heartbeat-reply.js";
import { resolveHeartbeatRoute } from "./heartbeat-route.js";
import { HeartbeatConfigError, parseHeartbeatEvery, resolveHeartbeats } from "./heartbeat-settings.js";

const config = (raw: Record<string, unknown>) => OpenClawConfigSchema.parse(raw);

describe("heartbeat reply", () => {
  it("keeps an acknowledgment quiet at the start or the end, and delivers anything else", () => {
    expect(classifyHeartbeatReply("HEARTBEAT_OK", 300)).toEqual({ kind: "ok-token" });
    expect(classifyHeartbeatReply("**HEARTBEAT_OK**", 300)).toEqual({ kind: "ok-token" });
    expect(classifyHeartbeatReply("All quiet. HEARTBEAT_OK", 300)).toEqual({ kind: "ok-token" });
    expect(classifyHeartbeatReply("NO_REPLY", 300)).toEqual({ kind: "ok-token" });
    expect(classifyHeartbeatReply("   ", 300)).toEqual({ kind: "ok-empty" });
    expect(classifyHeartbeatReply("Your flight leaves in 2 hours.", 300)).toEqual({
      kind: "alert",
      text: "Your flight leaves in 2 hours.",
    });
    // In the middle it is not an acknowledgment.
    expect(classifyHeartbeatReply("Before HEARTBEAT_OK after", 300).kind).toBe("alert");
    const long = "x".repeat(301);
    expect(classifyHeartbeatReply(`HEARTBEAT_OK ${long}`, 300)).toEqual({ kind: "alert", text: long });
  });
});

describe("HEARTBEAT.md", () => {
  it("counts headings, comments, stubs and the old template hint as empty", () => {
    expect(
      isEffectivelyEmpty(
        "# HEARTBEAT.md\n\nShort checklist for periodic check-ins. Leave it empty to skip them.\n",
      ),
    ).toBe(true);
    expect(isEffectivelyEmpty("# Checklist\n<!-- add items -->\n- [ ]\n-\n```\n```\n")).toBe(true);
    expect(isEffectivelyEmpty("# Checklist\n- check the build\n")).toBe(false);
  });

  it("reads the file from the workspace, and a missing one lets the heartbeat run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openclaw-heartbeat-file-"));
    try {
      expect(await readHeartbeatFile(dir)).toEqual({ state: "missing" });
      await writeFile(join(dir, "HEARTBEAT.md"), "# HEARTBEAT\n- water the plants\n");
      expect(await readHeartbeatFile(dir)).toMatchObject({ state: "present" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("active hours", () => {
  const at = (iso: string) => Date.parse(iso);
  it("checks the window in its zone, over midnight too, and an empty window never runs", () => {
    const day = { start: "09:00", end: "22:00", timezone: "UTC" };
    expect(isWithinActiveHours(at("2026-12-07T08:59:00Z"), day)).toBe(false);
    expect(isWithinActiveHours(at("2026-12-07T09:00:00Z"), day)).toBe(true);
    expect(isWithinActiveHours(at("2026-12-07T22:00:00Z"), day)).toBe(false);
    const berlin = { start: "09:00", end: "10:00", timezone: "Europe/Berlin" };
    expect(isWithinActiveHours(at("2026-12-07T08:30:00Z"), berlin)).toBe(true);
    const night = { start: "22:00", end: "06:00", timezone: "UTC" };
    expect(isWithinActiveHours(at("2026-12-07T23:00:00Z"), night)).toBe(true);
    expect(isWithinActiveHours(at("2026-12-07T12:00:00Z"), night)).toBe(false);
    expect(
      isWithinActiveHours(at("2026-12-07T12:00:00Z"), { start: "08:00", end: "08:00", timezone: "UTC" }),
    ).toBe(false);
    expect(
      isWithinActiveHours(at("2026-12-07T23:59:00Z"), { start: "00:00", end: "24:00", timezone: "UTC" }),
    ).toBe(true);
  });
});

describe("heartbeat settings", () => {
  it("parses OpenClaw's durations, minutes by default", () => {
    expect(parseHeartbeatEvery("30m")).toBe(1_800_000);
    expect(parseHeartbeatEvery("1h")).toBe(3_600_000);
    expect(parseHeartbeatEvery("0m")).toBe(0);
    expect(parseHeartbeatEvery(45)).toBe(2_700_000);
    expect(parseHeartbeatEvery("soon")).toBeUndefined();
  });

  it("runs the default agent with the defaults, or only the agents with their own block", () => {
    const plain = resolveHeartbeats(config({}));
    expect(plain).toMatchObject([{ agentId: "main", enabled: true, everyMs: 1_800_000, target: "owner" }]);
    const perAgent = resolveHeartbeats(
      config({
        agents: {
          defaults: { heartbeat: { every: "30m", target: "last" } },
          list: [
            { id: "main", default: true },
            { id: "ops", heartbeat: { every: "1h", lightContext: true } },
          ],
        },
      }),
    );
    expect(perAgent).toHaveLength(1);
    expect(perAgent[0]).toMatchObject({
      agentId: "ops",
      everyMs: 3_600_000,
      target: "last",
      unsupportedKeys: ["lightContext"],
    });
  });

  it("an unset heartbeat timeout follows agents.defaults.timeoutSeconds", () => {
    const [withDefault] = resolveHeartbeats(config({ agents: { defaults: { timeoutSeconds: 90 } } }));
    expect(withDefault?.timeoutMs).toBe(90_000);
    const [own] = resolveHeartbeats(
      config({ agents: { defaults: { timeoutSeconds: 90, heartbeat: { timeoutSeconds: 45 } } } }),
    );
    expect(own?.timeoutMs).toBe(45_000);
  });

  it("names the key of a bad cadence", () => {
    expect(() =>
      resolveHeartbeats(config({ agents: { defaults: { heartbeat: { every: "often" } } } })),
    ).toThrow(HeartbeatConfigError);
  });
});

describe("heartbeat route", () => {
  const settings = (raw: Record<string, unknown>) =>
    resolveHeartbeats(config({ agents: { defaults: { heartbeat: raw } } }))[0] as NonNullable<
      ReturnType<typeof resolveHeartbeats>[0]
    >;
  const none = () => undefined;

  it("finds the owner in commands.ownerAllowFrom, then in a channel allowFrom", () => {
    const owner = config({ commands: { ownerAllowFrom: ["*", "telegram:123"] } });
    expect(resolveHeartbeatRoute(settings({}), { config: owner, lastRoute: none })).toEqual({
      kind: "deliver",
      delivery: { channel: "telegram", to: "123" },
    });
    const allow = config({ channels: { slack: { allowFrom: ["*", "U42"] } } });
    expect(resolveHeartbeatRoute(settings({}), { config: allow, lastRoute: none })).toMatchObject({
      delivery: { channel: "slack", to: "U42" },
    });
    expect(resolveHeartbeatRoute(settings({}), { config: config({}), lastRoute: none }).kind).toBe(
      "no-route",
    );
  });

  it("follows the last conversation, an explicit channel with its topic, or nobody", () => {
    const last = () => ({ channel: "discord", accountId: "default", to: "C1" });
    expect(
      resolveHeartbeatRoute(settings({ target: "last" }), { config: config({}), lastRoute: last }),
    ).toMatchObject({
      delivery: { channel: "discord", to: "C1", accountId: "default" },
    });
    expect(
      resolveHeartbeatRoute(settings({ target: "telegram", to: "-100:topic:7" }), {
        config: config({}),
        lastRoute: none,
      }),
    ).toEqual({ kind: "deliver", delivery: { channel: "telegram", to: "-100", threadId: "7" } });
    expect(
      resolveHeartbeatRoute(settings({ target: "telegram" }), { config: config({}), lastRoute: none }).kind,
    ).toBe("no-route");
    expect(
      resolveHeartbeatRoute(settings({ target: "none" }), { config: config({}), lastRoute: none }),
    ).toEqual({
      kind: "none",
    });
  });
});
