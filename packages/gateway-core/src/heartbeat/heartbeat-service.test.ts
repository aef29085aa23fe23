import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentRunResult } from "@openclaw/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import { OpenClawConfigSchema } from "../config/index.js";
import { createManualCronClock, type ManualCronClock } from "../cron/cron-clock.js";
import { silentLogger } from "../logging/logger.js";
import type { HeartbeatEvent } from "./heartbeat-events.js";
import type { HeartbeatDelivery } from "./heartbeat-route.js";
import { HeartbeatService } from "./heartbeat-service.js";

const START = Date.parse("2026-12-07T12:00:00Z");
const MINUTE = 60_000;

let workspace: string;
let clock: ManualCronClock;
let replies: string[];
let turns: ChatTurnRequest[];
let delivered: (HeartbeatDelivery & { text: string })[];
let events: HeartbeatEvent[];
let busy: boolean;
let changed: () => void = () => undefined;

function service(raw: Record<string, unknown>): HeartbeatService {
  const config = OpenClawConfigSchema.parse(raw);
  return new HeartbeatService({
    config: () => config,
    chat: {
      start(request) {
        turns.push(request);
        const text = replies.shift() ?? "HEARTBEAT_OK";
        const result: AgentRunResult = {
          runId: `run-${turns.length}`,
          sessionKey: request.sessionKey,
          status: "ok",
          text,
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        };
        return { runId: result.runId, done: Promise.resolve(result) };
      },
    },
    isSessionBusy: () => busy,
    deliver: async (delivery) => {
      delivered.push(delivery);
    },
    lastRoute: () => undefined,
    workspaceDir: () => workspace,
    // The manual clock, telling `tick` when the next run is scheduled.
    clock: {
      now: () => clock.now(),
      setTimer(callback, delayMs) {
        const timer = clock.setTimer(callback, delayMs);
        changed();
        return timer;
      },
      clearTimer: (timer) => clock.clearTimer(timer),
    },
    emit: (event) => {
      events.push(event);
      changed();
    },
    logger: silentLogger,
  });
}

/**
 * Moves the clock and waits, event-driven, until the heartbeat has emitted `expectedEvents` and scheduled its next
 * run (after its awaits: file read, turn). The bound only stops a hang (the assertions after it then say what is
 * missing); generous, for a loaded CI machine, where the old 5 ms polling loop with a 5 s budget was a guess.
 */
async function tick(ms: number, expectedEvents: number): Promise<void> {
  clock.advance(ms);
  const settled = () => events.length >= expectedEvents && clock.pending() > 0;
  if (settled()) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    changed = () => {
      if (!settled()) return;
      clearTimeout(timer);
      resolve();
    };
  });
  changed = () => undefined;
}

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "openclaw-heartbeat-"));
  await writeFile(join(workspace, "HEARTBEAT.md"), "# Checklist\n- tell me when the build breaks\n");
  clock = createManualCronClock(START);
  replies = [];
  turns = [];
  delivered = [];
  events = [];
  busy = false;
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const owner = { commands: { ownerAllowFrom: ["telegram:555"] } };

describe("HeartbeatService", () => {
  it("runs on the cadence in the main session, keeps HEARTBEAT_OK quiet and delivers an alert", async () => {
    const heartbeats = service({ ...owner, agents: { defaults: { heartbeat: { every: "30m" } } } });
    heartbeats.start();
    replies.push("HEARTBEAT_OK", "The build is red since 11:40.");
    await tick(29 * MINUTE, 0);
    expect(turns).toHaveLength(0);
    await tick(MINUTE, 1);
    expect(turns[0]).toMatchObject({ sessionKey: "agent:main:main", agentId: "main", queueMode: "followup" });
    expect(turns[0]?.message).toContain("HEARTBEAT.md");
    expect(events[0]).toMatchObject({
      status: "ok-token",
      silent: true,
      indicatorType: "ok",
      agentId: "main",
    });
    expect(delivered).toHaveLength(0);
    await tick(30 * MINUTE, 2);
    expect(delivered).toEqual([{ channel: "telegram", to: "555", text: "The build is red since 11:40." }]);
    expect(events[1]).toMatchObject({
      status: "sent",
      channel: "telegram",
      to: "555",
      indicatorType: "alert",
    });
    expect(heartbeats.last()).toEqual(events[1]);
    heartbeats.stop();
  });

  it("skips without a model call: empty checklist, quiet hours, a busy session, no route, paused", async () => {
    const heartbeats = service({
      agents: {
        defaults: {
          heartbeat: { every: "10m", activeHours: { start: "13:00", end: "14:00", timezone: "UTC" } },
        },
      },
    });
    heartbeats.start();
    await tick(10 * MINUTE, 1);
    expect(events.at(-1)).toMatchObject({ status: "skipped", reason: "quiet-hours" });
    busy = true;
    // Jumping to 13:00 fires the heartbeat that was due at 12:20, now inside the window.
    clock.set(Date.parse("2026-12-07T13:00:00Z"));
    await tick(0, 2);
    expect(events.at(-1)).toMatchObject({ status: "skipped", reason: "requests-in-flight" });
    busy = false;
    await tick(10 * MINUTE, 3);
    expect(events.at(-1)).toMatchObject({ status: "skipped", reason: "no-route" });
    await writeFile(join(workspace, "HEARTBEAT.md"), "# HEARTBEAT.md\n<!-- nothing yet -->\n");
    await tick(10 * MINUTE, 4);
    expect(events.at(-1)).toMatchObject({ status: "skipped", reason: "empty-heartbeat-file" });
    heartbeats.setEnabled(false);
    await tick(10 * MINUTE, 5);
    expect(events.at(-1)).toMatchObject({ status: "skipped", reason: "disabled" });
    expect(turns).toHaveLength(0);
    heartbeats.stop();
  });

  it("hands queued system events to the next heartbeat, even with an empty checklist", async () => {
    await writeFile(join(workspace, "HEARTBEAT.md"), "");
    const heartbeats = service({ ...owner, agents: { defaults: { heartbeat: { every: "5m" } } } });
    heartbeats.start();
    heartbeats.enqueueSystemEvent("main", "Backup finished: 42 GB");
    replies.push("Backup done (42 GB).");
    await tick(5 * MINUTE, 1);
    expect(turns[0]?.message).toContain("- Backup finished: 42 GB");
    expect(delivered[0]?.text).toBe("Backup done (42 GB).");
    await tick(5 * MINUTE, 2);
    expect(events.at(-1)).toMatchObject({ status: "skipped", reason: "empty-heartbeat-file" });
    heartbeats.stop();
  });

  it("does not schedule with every 0m, but runs on demand", async () => {
    const heartbeats = service({ ...owner, agents: { defaults: { heartbeat: { every: "0m" } } } });
    heartbeats.start();
    expect(clock.pending()).toBe(0);
    expect(heartbeats.summaries()).toMatchObject([{ agentId: "main", enabled: false, everyMs: 0 }]);
    const [event] = await heartbeats.runNow("main");
    expect(event).toMatchObject({ status: "ok-token" });
    heartbeats.stop();
  });
});
