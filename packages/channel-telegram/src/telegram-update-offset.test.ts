import type { ChannelAccountContext, ChannelAccountState, InboundMessage } from "@openclaw/plugin-sdk";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { memoryState } from "./account-probe.test-support.js";
import { type TelegramConfig, TelegramConfigSchema } from "./telegram-config.js";
import { createTelegramPlugin } from "./telegram-plugin.js";
import { UPDATE_OFFSET_STATE_KEY } from "./telegram-update-offset.js";

let fake: FakeTelegramServer;

beforeEach(async () => {
  fake = await startFakeTelegramServer();
});

afterEach(async () => {
  await fake.close();
});

const user = { id: 42, first_name: "Ada" };
const chat = { id: 42, type: "private" as const };

/**
 * Runs one account until its first inbound message and "crashes" right after handling it, before the next
 * getUpdates could confirm it to Telegram: the window in which a restart used to answer the message twice.
 */
async function runUntilFirstMessage(state: ChannelAccountState | undefined): Promise<InboundMessage> {
  const abort = new AbortController();
  let received!: (message: InboundMessage) => void;
  const first = new Promise<InboundMessage>((resolve) => {
    received = resolve;
  });
  const silent = () => undefined;
  const context: ChannelAccountContext<TelegramConfig> = {
    accountId: "default",
    config: TelegramConfigSchema.parse({
      botToken: fake.token,
      apiRoot: fake.apiRoot,
      pollTimeoutSeconds: 1,
    }),
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    signal: abort.signal,
    onInbound: (message) => {
      abort.abort();
      received(message);
    },
    setStatus: silent,
    ...(state ? { state } : {}),
  };
  const handle = await createTelegramPlugin().startAccount(context);
  const message = await first;
  await handle.stop();
  return message;
}

it("resumes after the last handled update, so a restart does not see it again", async () => {
  const state = memoryState();
  fake.sendMessage({ chat, from: user, text: "first" });
  expect((await runUntilFirstMessage(state)).text).toBe("first");
  expect(state.values.get(UPDATE_OFFSET_STATE_KEY)).toEqual({
    lastUpdateId: expect.any(Number),
    botId: fake.bot.id,
  });

  fake.sendMessage({ chat, from: user, text: "second" });
  expect((await runUntilFirstMessage(state)).text).toBe("second");
});

it("without durable state Telegram hands the unconfirmed update over again (what the stored offset prevents)", async () => {
  fake.sendMessage({ chat, from: user, text: "first" });
  expect((await runUntilFirstMessage(undefined)).text).toBe("first");
  expect((await runUntilFirstMessage(undefined)).text).toBe("first");
});

it("ignores an offset stored for another bot (the token changed)", async () => {
  const state = memoryState();
  state.values.set(UPDATE_OFFSET_STATE_KEY, { lastUpdateId: 10_000_000, botId: fake.bot.id + 1 });
  fake.sendMessage({ chat, from: user, text: "hello" });
  expect((await runUntilFirstMessage(state)).text).toBe("hello");
});
