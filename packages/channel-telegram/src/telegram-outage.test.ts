import type { ChannelAccountContext } from "@openclaw/plugin-sdk";
import {
  type FakeTelegramServer,
  type PlatformOutage,
  startFakeTelegramServer,
  startPlatformOutage,
} from "@openclaw/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type TelegramConfig, TelegramConfigSchema } from "./telegram-config.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

let fake: FakeTelegramServer;
let outage: PlatformOutage;

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  outage = await startPlatformOutage({ target: fake.apiRoot });
});

afterEach(async () => {
  await outage.close();
  await fake.close();
});

function context(statuses: { connected?: boolean; lastError?: string | null }[]) {
  const silent = () => undefined;
  const ctx: ChannelAccountContext<TelegramConfig> = {
    accountId: "default",
    config: TelegramConfigSchema.parse({ botToken: fake.token, apiRoot: outage.url }),
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    signal: new AbortController().signal,
    onInbound: silent,
    setStatus: (patch) => statuses.push(patch),
  };
  return ctx;
}

// grammY's bot.init() retried both for ever (up to 20 minutes between attempts) and the account looked healthy.
it.each([
  ["refused", /Network request for 'getMe' failed.*channels\.telegram\.apiRoot/],
  ["http-500", /getMe.*not the Bot API.s JSON.*channels\.telegram\.apiRoot/],
] as const)(
  "an apiRoot %s fails the start at once, naming the request and the config key",
  async (mode, message) => {
    await outage.fail(mode);
    const statuses: { connected?: boolean; lastError?: string | null }[] = [];
    const started = Date.now();
    const starting = createTelegramPlugin().startAccount(context(statuses));
    await expect(starting).rejects.toMatchObject({ code: "TELEGRAM_NETWORK_ERROR", message });
    // Seconds, not the old retry schedule (1 s, 2 s, 4 s ... before a word); loose, as the CI machine is shared and
    // the start imports grammY first (seconds at a load average of 11); the one connection below proves no retry.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(statuses).toEqual([{ connected: false, lastError: expect.stringMatching(message) }]);
    expect(statuses[0]?.lastError).not.toContain(fake.token);
    // One request, not a retry loop.
    expect(outage.connections).toBeLessThanOrEqual(1);
  },
);

it("names where it connects, for the gateway's start-deadline error", () => {
  const config = TelegramConfigSchema.parse({ botToken: "1:x", apiRoot: "http://127.0.0.1:9" });
  expect(createTelegramPlugin().platformEndpoint?.(config)).toEqual({
    url: "http://127.0.0.1:9",
    configKey: "apiRoot",
  });
});
