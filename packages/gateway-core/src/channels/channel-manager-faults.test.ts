import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CHANNEL_PLUGIN_API_VERSION,
  type ChannelAccountContext,
  type ChannelPlugin,
} from "@openclaw/plugin-sdk";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { type ChannelChange, ChannelManager, type ChannelManagerOptions } from "./channel-manager.js";
import { createPairingStore } from "./pairing-store.js";
import { PluginRegistry } from "./plugin-registry.js";

/** A platform the test takes down and brings back; the plugin's start and probe ask it. */
interface Platform {
  /** "hang": startAccount never settles (a library retrying quietly); "up": it connects. */
  start: "hang" | "up";
  probe: { ok: boolean; detail?: string };
  starts: ChannelAccountContext[];
  /** Handles stopped so far, by the number of the start that made them. */
  stopped: number[];
}

function platformPlugin(platform: Platform): ChannelPlugin<{ apiRoot: string }> {
  return {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: "alpha",
    meta: { label: "Alpha" },
    configSchema: z.looseObject({ apiRoot: z.string().default("http://127.0.0.1:9") }),
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 100,
    },
    platformEndpoint: (config) => ({ url: config.apiRoot, configKey: "apiRoot" }),
    startAccount: async (context) => {
      platform.starts.push(context);
      const number = platform.starts.length;
      if (platform.start === "hang") await new Promise(() => undefined);
      context.setStatus({ connected: true, lastError: null });
      return { stop: async () => void platform.stopped.push(number) };
    },
    sendText: async () => ({ messageId: "1" }),
    probe: async () => platform.probe,
  };
}

let stateDir: string;
let logs: LogRecord[];
let changes: ChannelChange[];
let managers: ChannelManager[];
let platform: Platform;
let waiters: ((change: ChannelChange) => boolean)[];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-channel-faults-"));
  logs = [];
  changes = [];
  waiters = [];
  managers = [];
  platform = { start: "up", probe: { ok: true }, starts: [], stopped: [] };
});

afterEach(async () => {
  await Promise.all(managers.map((manager) => manager.stop()));
  await rm(stateDir, { recursive: true, force: true });
});

function createManager(extra: Partial<ChannelManagerOptions> = {}): ChannelManager {
  const registry = new PluginRegistry();
  registry.registerChannel(platformPlugin(platform));
  const manager = new ChannelManager({
    registry,
    getConfig: () => ({
      channels: { alpha: { apiRoot: "http://127.0.0.1:9" } },
      session: { dmScope: "per-channel-peer", mainKey: "main" },
    }),
    chat: {
      start: () => {
        throw new Error("no agent turns in these tests");
      },
    },
    pairing: createPairingStore({ stateDir }),
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
    stateDir,
    onChange: (change) => {
      changes.push(change);
      waiters = waiters.filter((waiter) => !waiter(change));
    },
    ...extra,
  });
  managers.push(manager);
  return manager;
}

/** Resolves with the first snapshot change, seen or to come, that satisfies `match`. */
function nextChange(match: (change: ChannelChange) => boolean): Promise<ChannelChange> {
  const seen = changes.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    // Only bounds a failure (a passing wait resolves on the change); generous for a loaded CI machine.
    const timer = setTimeout(() => reject(new Error("no such channel change within 30 s")), 30_000);
    waiters.push((change) => {
      if (!match(change)) return false;
      clearTimeout(timer);
      resolve(change);
      return true;
    });
  });
}

// Before the deadline, such an account stayed `running: true, connected: false, lastError: null` for ever.
it("a start that neither connects nor fails is given up at the deadline: lastError names the URL and key, a log line, backoff", async () => {
  platform.start = "hang";
  const manager = createManager({ startTimeoutMs: 100, backoff: { initialMs: 50, maxMs: 60_000 } });
  const started = Date.now();
  await manager.start();
  const failed = await nextChange((c) => c.snapshot.lastError !== null);
  // A 100 ms deadline, measured loosely: the bug was "never", and a loaded CI machine is slow, not that slow.
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(failed.snapshot).toMatchObject({ running: false, connected: false, reconnectAttempts: 1 });
  expect(failed.snapshot.lastError).toBe(
    'Alpha account "default" neither connected nor failed within 0.1 s (no answer from http://127.0.0.1:9): ' +
      "check that the gateway can reach it and that channels.alpha.apiRoot is right; the gateway retries with backoff",
  );
  expect(platform.starts[0]?.signal.aborted).toBe(true);
  expect(logs).toContainEqual(
    expect.objectContaining({
      level: "error",
      msg: "channel account failed; restarting after backoff",
      channel: "alpha",
      error: failed.snapshot.lastError,
      delayMs: 50,
    }),
  );

  // The platform is back: the next backoff step connects and clears the error.
  platform.start = "up";
  const recovered = await nextChange((c) => c.snapshot.connected);
  expect(recovered.snapshot).toMatchObject({ running: true, connected: true, lastError: null });
  expect(platform.starts).toHaveLength(2);
  expect((await manager.status()).channels.alpha).toMatchObject({ connected: true, lastError: null });
});

it("keeps retrying a hanging platform with the backoff, capped at maxMs", async () => {
  platform.start = "hang";
  const manager = createManager({ startTimeoutMs: 20, backoff: { initialMs: 5, maxMs: 20, factor: 2 } });
  await manager.start();
  await nextChange((c) => c.snapshot.reconnectAttempts === 4);
  const delays = logs.filter((r) => r.msg.startsWith("channel account failed")).map((r) => r.delayMs);
  expect(delays.slice(0, 4)).toEqual([5, 10, 20, 20]);
  // Every attempt given up was aborted, so no library keeps retrying behind the gateway's back.
  expect(platform.starts.slice(0, 4).every((context) => context.signal.aborted)).toBe(true);
});

it("status --probe and status agree: a failed probe of a running account is its lastError until a probe passes", async () => {
  const manager = createManager();
  await manager.start();
  platform.probe = { ok: false, detail: "cannot reach http://127.0.0.1:9 (ECONNREFUSED)" };

  const probed = await manager.status({ probe: true });
  const expected = "probe failed: cannot reach http://127.0.0.1:9 (ECONNREFUSED)";
  expect(probed.channelAccounts.alpha?.[0]).toMatchObject({
    probe: { ok: false },
    lastError: expected,
  });
  expect(probed.channels.alpha).toMatchObject({ lastError: expected });
  // A plain status afterwards tells the same story.
  expect((await manager.status()).channelAccounts.alpha?.[0]?.lastError).toBe(expected);

  platform.probe = { ok: true, detail: "@bot" };
  const healthy = await manager.status({ probe: true });
  expect(healthy.channelAccounts.alpha?.[0]).toMatchObject({ probe: { ok: true }, lastError: null });
});

it("a probe during a start that has not settled says so instead of the adapter's 'not running'", async () => {
  platform.start = "hang";
  platform.probe = { ok: false, detail: "not running" };
  const manager = createManager({ startTimeoutMs: 60_000, startWaitMs: 10 });
  await manager.start();
  const status = await manager.status({ probe: true });
  expect(status.channelAccounts.alpha?.[0]).toMatchObject({
    running: true,
    connected: false,
    probe: { ok: false, detail: expect.stringMatching(/^still starting \(\d+ s\): not connected yet$/) },
  });
});
