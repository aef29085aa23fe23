import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { Bot } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AccountProbe,
  accountProbe,
  configFor,
  eventually,
  memoryState,
} from "./account-probe.test-support.js";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { runLongPolling } from "./telegram-long-polling.js";
import { createTelegramPlugin } from "./telegram-plugin.js";
import { UPDATE_OFFSET_STATE_KEY, updateOffsetRecorder } from "./telegram-update-offset.js";

let fake: FakeTelegramServer;
const handles: TelegramAccountHandle[] = [];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

const alice = { id: 42, first_name: "Alice" };
const dm = { id: 42, type: "private" as const };
const album = { chat: dm, from: alice, kind: "photo" as const, mediaGroupId: "24680" };
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text));
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

type State = ReturnType<typeof memoryState>;

/** A poller of the account (a gateway instance running it) with durable state shared with the other pollers. */
async function poller(state: State): Promise<AccountProbe> {
  const probe = accountProbe(configFor(fake));
  probe.context = { ...probe.context, state };
  handles.push((await createTelegramPlugin().startAccount(probe.context)) as TelegramAccountHandle);
  return probe;
}

function storedLastUpdateId(state: State): number | undefined {
  return (state.values.get(UPDATE_OFFSET_STATE_KEY) as { lastUpdateId?: number } | undefined)?.lastUpdateId;
}

/** Resolves once a getUpdates asked again from `updateId`: the update was received and is still unconfirmed. */
function askedAgainFrom(updateId: number): Promise<unknown> {
  return fake.waitForCall((call) => call.method === "getUpdates" && Number(call.body.offset) === updateId);
}

describe("telegram: an update is confirmed only once it reached the gateway", () => {
  it("leaves an album the account stopped while buffering with Telegram: the next poller receives it whole", async () => {
    const state = memoryState();
    const first = await poller(state);
    const part = fake.sendMediaMessage({ ...album, bytes: bytesOf("first"), caption: "our trip" });
    fake.sendMediaMessage({ ...album, bytes: bytesOf("second") });
    await askedAgainFrom(part.update_id);
    await handles.shift()?.stop(); // a rolling restart (or a crash) within the album's buffer window
    expect(first.inbound).toEqual([]);
    expect(storedLastUpdateId(state) ?? -1).toBeLessThan(part.update_id);

    const next = await poller(state);
    await eventually(() => next.inbound.length > 0, "the album on the next poller");
    const inbound = InboundMessageSchema.parse(next.inbound[0]);
    expect(inbound.text).toBe("our trip");
    expect(inbound.media).toHaveLength(2);
  });

  it("confirms an album and the messages after it once the album was handed over", async () => {
    const state = memoryState();
    const probe = await poller(state);
    const part = fake.sendMediaMessage({ ...album, bytes: bytesOf("first"), caption: "our trip" });
    fake.sendMediaMessage({ ...album, bytes: bytesOf("second") });
    const after = fake.sendMessage({ chat: dm, from: alice, text: "after the album" });
    await eventually(() => probe.inbound.some((message) => message.text === "after the album"), "the text");
    // Handed over at once, but not confirmed past the album still waiting in the buffer.
    expect(storedLastUpdateId(state) ?? -1).toBeLessThan(part.update_id);
    await eventually(() => probe.inbound.length === 2, "the album");
    await eventually(() => storedLastUpdateId(state) === after.update_id, "the offset past both");
  });

  it("leaves a message the gateway refused as the account stopped (a drain) with Telegram for the next poller", async () => {
    const state = memoryState();
    const stopping = new AbortController();
    const probe = accountProbe(configFor(fake));
    const refused: string[] = [];
    probe.context = {
      ...probe.context,
      state,
      signal: stopping.signal,
      // The gateway holds a message arriving while it drains, and fails it once the account's signal aborted.
      onInbound: (message) =>
        new Promise<void>((_, reject) => {
          refused.push(message.text);
          stopping.signal.addEventListener("abort", () => reject(new Error("account stopping")), {
            once: true,
          });
        }),
    };
    const handle = (await createTelegramPlugin().startAccount(probe.context)) as TelegramAccountHandle;
    const held = fake.sendMessage({ chat: dm, from: alice, text: "arrives during the drain" });
    await eventually(() => refused.length === 1, "the message to reach the gateway");
    stopping.abort();
    await handle.stop();
    expect(storedLastUpdateId(state) ?? -1).toBeLessThan(held.update_id);

    const next = await poller(state);
    await eventually(() => next.inbound.length > 0, "the next poller's first message");
    expect(next.inbound.map((message) => message.text)).toEqual(["arrives during the drain"]);
  });

  it("stops without confirming an update the account stopped before handing over", async () => {
    const state = memoryState();
    const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
    const me = await bot.api.getMe();
    const handled = fake.sendMessage({ chat: dm, from: alice, text: "handed over" });
    fake.sendMessage({ chat: dm, from: alice, text: "cut off by the stop" });
    const abort = new AbortController();
    const onHandled = updateOffsetRecorder(state, me.id, silent);
    await runLongPolling({
      bot,
      timeoutSeconds: 1,
      signal: abort.signal,
      onConnected: () => undefined,
      ...(onHandled ? { onHandled } : {}),
      handleUpdate: async (update) => {
        if (update.message?.text === "handed over") return { handedOver: true };
        abort.abort(); // the lease was lost while this update was on its way to the gateway
        return { interrupted: true };
      },
    });
    expect(storedLastUpdateId(state)).toBe(handled.update_id);

    const next = await poller(state);
    await eventually(() => next.inbound.length > 0, "the next poller's first message");
    expect(next.inbound.map((message) => message.text)).toEqual(["cut off by the stop"]);
  });
});
