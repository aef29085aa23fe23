import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import {
  type PlatformOutage,
  type PlatformOutageMode,
  startFakeDiscordServer,
  startFakeSlackServer,
  startFakeTelegramServer,
  startPlatformOutage,
} from "@openclaw/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "f".repeat(64);
const BACKOFF = { initialMs: 100, maxMs: 400 };

let stateDir: string;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-channel-outage-e2e-"));
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await gateway?.close();
  gateway = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(stateDir, { recursive: true, force: true });
});

/** A platform fake behind a relay that starts out failing the given way. */
async function downed(
  fake: { close(): Promise<void> },
  root: string,
  mode: PlatformOutageMode,
): Promise<{ outage: PlatformOutage; root: string }> {
  const outage = await startPlatformOutage({ target: root, mode });
  cleanups.push(
    () => fake.close(),
    () => outage.close(),
  );
  // The client keeps the fake's path (Slack's /api/, Discord's /api) and reaches the relay's port instead.
  return { outage, root: `${outage.url}${new URL(root).pathname.replace(/^\/$/, "")}` };
}

type Account = { running: boolean; connected: boolean; lastError: string | null };

async function accounts(): Promise<Record<string, Account | undefined>> {
  const status = await client?.request("channels.status", {});
  const all = (status?.channelAccounts ?? {}) as Record<string, Account[]>;
  return Object.fromEntries(Object.entries(all).map(([channel, list]) => [channel, list[0]]));
}

async function waitForAll(channels: string[], match: (a: Account) => boolean, timeoutMs?: number) {
  return pollUntil(
    `every channel of ${channels.join(", ")} matching`,
    accounts,
    (current) => channels.every((channel) => current[channel] !== undefined && match(current[channel])),
    timeoutMs,
  );
}

// Telegram's start retried quietly for ever before; Slack and Discord surfaced their failures already.
it("every channel whose platform is down says so within seconds, and all recover within one backoff step", async () => {
  const telegramFake = await startFakeTelegramServer();
  const telegram = await downed(telegramFake, telegramFake.apiRoot, "http-500");
  const slackFake = await startFakeSlackServer();
  const slack = await downed(slackFake, slackFake.apiUrl, "refused");
  const discordFake = await startFakeDiscordServer();
  const discord = await downed(discordFake, discordFake.apiBase, "http-500");
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      channels: {
        telegram: { botToken: telegramFake.token, apiRoot: telegram.root, pollTimeoutSeconds: 1 },
        slack: { botToken: slackFake.botToken, appToken: slackFake.appToken, apiUrl: slack.root },
        discord: { token: discordFake.token, apiBaseUrl: discord.root },
      },
    }),
  );
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    channelBackoff: BACKOFF,
  });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  const channels = ["telegram", "slack", "discord"];

  // "Within seconds" and "within one backoff step" are what this test is about, so it keeps time bounds; they
  // leave room for a loaded machine (the suites share two cores) and stay far below what they guard against: a
  // start that retries quietly for ever, and recovery on the default 60 s backoff instead of the 400 ms one.
  const down = await waitForAll(channels, (a) => a.lastError !== null, 15_000);
  for (const channel of channels) expect(down[channel]).toMatchObject({ connected: false });
  expect(down.telegram?.lastError).toMatch(/channels\.telegram\.apiRoot/);
  expect(down.slack?.lastError).toMatch(/channels\.slack\.apiUrl/);
  expect(down.discord?.lastError).toMatch(/HTTP 500/);

  await Promise.all([telegram.outage.restore(), slack.outage.restore(), discord.outage.restore()]);
  const restoredAt = Date.now();
  const up = await waitForAll(channels, (a) => a.connected, 15_000);
  expect(Date.now() - restoredAt).toBeLessThan(BACKOFF.maxMs + 10_000);
  for (const channel of channels) expect(up[channel]).toMatchObject({ running: true, lastError: null });
});
