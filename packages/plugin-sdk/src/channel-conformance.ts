import {
  CONFORMANCE_GROUP_ID,
  CONFORMANCE_SENDER_ID,
  type ConformanceHarness,
  type ConformanceHarnessFactory,
  type ConformanceOptions,
  parseConfig,
  QUIET_WINDOW_MS,
  type RunningAccount,
  uniqueText,
  withAccount,
  withHarness,
} from "./channel-conformance-harness.js";
import { type ChannelPlugin, validateChannelPlugin } from "./channel-plugin.js";
import { ConformanceError, describeError, fail, within } from "./conformance-error.js";
import { PluginError } from "./plugin-error.js";

export {
  type ClosableConformanceHarness,
  CONFORMANCE_GROUP_ID,
  CONFORMANCE_SENDER_ID,
  type ConformanceHarness,
  type ConformanceHarnessFactory,
  type ConformanceOptions,
  QUIET_WINDOW_MS,
  STOP_DEADLINE_MS,
} from "./channel-conformance-harness.js";
export { ConformanceError } from "./conformance-error.js";

const ACCESS_POLICY_KEYS = {
  enabled: true,
  dmPolicy: "pairing",
  allowFrom: ["424242"],
  groupPolicy: "allowlist",
  groups: { "-1004242": { requireMention: true } },
  requireMention: true,
};

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sendAndCheckDelivery(
  plugin: ChannelPlugin,
  account: RunningAccount,
  harness: ConformanceHarness,
  to: string,
  text: string,
): Promise<void> {
  const result = await within(
    plugin.sendText({ accountId: account.accountId, to, text }),
    account.timeoutMs,
    `sendText() to "${to}" did not resolve`,
  ).catch((error: unknown) => {
    if (error instanceof ConformanceError) throw error;
    return fail(`sendText() of ${text.length} characters to "${to}" rejected: ${describeError(error)}`);
  });
  const messageId = (result as { messageId?: unknown } | undefined)?.messageId;
  if (typeof messageId !== "string" || messageId === "") {
    fail(`sendText() must resolve with { messageId: <non-empty string> }, got ${JSON.stringify(result)}`);
  }
  const deadline = Date.now() + account.timeoutMs;
  let received = await harness.sentTexts(to);
  // The platform may record the message a moment after the API call returns; a bounded poll covers that.
  while (received.length === 0 && Date.now() < deadline) {
    await delay(10);
    received = await harness.sentTexts(to);
  }
  if (received.length !== 1 || received[0] !== text) {
    const shown = received.map((sent) =>
      sent.length > 80 ? `${sent.slice(0, 80)}… (${sent.length})` : sent,
    );
    fail(
      `the platform should have received exactly one message to "${to}" with the ${text.length}-character text sent, got ${JSON.stringify(shown)}: send the text as given, unsplit and unformatted`,
    );
  }
}

/** The plugin passes validateChannelPlugin and its configSchema tolerates the gateway's access-policy keys. */
export async function checkPluginShape(plugin: ChannelPlugin, createHarness: ConformanceHarnessFactory) {
  try {
    validateChannelPlugin(plugin);
  } catch (error) {
    if (error instanceof PluginError) fail(error.message);
    throw error;
  }
  await withHarness(createHarness, async (harness) => {
    parseConfig(plugin, harness.accountConfig);
    const withPolicy = { ...(harness.accountConfig as Record<string, unknown>), ...ACCESS_POLICY_KEYS };
    const parsed = plugin.configSchema.safeParse(withPolicy);
    if (!parsed.success) {
      fail(
        `configSchema rejected the access-policy keys the gateway reads from the same section (${Object.keys(ACCESS_POLICY_KEYS).join(", ")}): use z.looseObject({ ... }) so that unknown keys pass`,
      );
    }
  });
}

export async function checkStart(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account) => {
    if (account.handle === undefined || typeof account.handle.stop !== "function") {
      fail("startAccount() must resolve with a handle { stop(): Promise<void> }");
    }
  });
}

export async function checkDirectMessage(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    const text = uniqueText("dm");
    const message = await account.receiveDirectMessage(harness, text);
    const expected = {
      channel: plugin.id,
      accountId: account.accountId,
      chatKind: "dm",
      "sender.id": CONFORMANCE_SENDER_ID,
      "peer.id (the user, for a DM)": CONFORMANCE_SENDER_ID,
    };
    const actual = {
      channel: message.channel,
      accountId: message.accountId,
      chatKind: message.chatKind,
      "sender.id": message.sender.id,
      "peer.id (the user, for a DM)": message.peer.id,
    };
    const wrong = Object.entries(expected).filter(
      ([key, value]) => actual[key as keyof typeof actual] !== value,
    );
    if (wrong.length > 0) {
      fail(
        `the InboundMessage of a DM is wrong: ${wrong.map(([key, value]) => `${key} should be ${JSON.stringify(value)} but is ${JSON.stringify(actual[key as keyof typeof actual])}`).join("; ")}`,
      );
    }
  });
}

/** Returns a reason when the harness cannot inject group messages (the check is then skipped). */
export async function checkGroupMessages(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
): Promise<string | undefined> {
  let skipped: string | undefined;
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    if (harness.injectGroupMessage === undefined) {
      skipped =
        "capabilities.groups is true but the harness has no injectGroupMessage: add it to check groups";
      return;
    }
    for (const mentionBot of [false, true]) {
      const text = uniqueText(mentionBot ? "group mention" : "group");
      await harness.injectGroupMessage({
        text,
        senderId: CONFORMANCE_SENDER_ID,
        groupId: CONFORMANCE_GROUP_ID,
        mentionBot,
      });
      const message = await account.receive(text, `a group message (mentionBot: ${mentionBot})`);
      if (message.chatKind !== "group" || message.chatId !== CONFORMANCE_GROUP_ID) {
        fail(
          `a group message must have chatKind "group" and chatId "${CONFORMANCE_GROUP_ID}", got chatKind ${JSON.stringify(message.chatKind)} and chatId ${JSON.stringify(message.chatId)}`,
        );
      }
      if (message.sender.id !== CONFORMANCE_SENDER_ID) {
        fail(
          `a group message's sender.id should be "${CONFORMANCE_SENDER_ID}", got ${JSON.stringify(message.sender.id)}`,
        );
      }
      if (message.mentionsBot !== mentionBot) {
        fail(
          `a group message ${mentionBot ? "mentioning" : "not mentioning"} the bot has mentionsBot ${message.mentionsBot}: set it from detectMention(text, { botUsername, entities })`,
        );
      }
    }
  });
  return skipped;
}

export async function checkSendText(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    const { peer } = await account.receiveDirectMessage(harness);
    await sendAndCheckDelivery(
      plugin,
      account,
      harness,
      peer.id,
      `conformance reply to ${peer.id}: 1 < 2 & *ok*`,
    );
  });
}

export async function checkMaxLengthText(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    const { peer } = await account.receiveDirectMessage(harness);
    const { maxTextLength } = plugin.capabilities;
    const text = "conformance ".repeat(Math.ceil(maxTextLength / 12)).slice(0, maxTextLength - 1);
    await sendAndCheckDelivery(plugin, account, harness, peer.id, `${text}.`);
  });
}

export async function checkTyping(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    const { peer } = await account.receiveDirectMessage(harness);
    const sendTyping = plugin.sendTyping?.bind(plugin);
    if (sendTyping === undefined) return;
    await within(
      sendTyping({ accountId: account.accountId, to: peer.id }),
      account.timeoutMs,
      "sendTyping() did not resolve",
    ).catch((error: unknown) => {
      if (error instanceof ConformanceError) throw error;
      fail(`sendTyping() rejected: ${describeError(error)}`);
    });
  });
}

export async function checkProbe(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account) => {
    const probe = plugin.probe?.bind(plugin);
    if (probe === undefined) return;
    const result = await within(
      probe({ accountId: account.accountId, timeoutMs: account.timeoutMs }),
      account.timeoutMs,
      "probe() did not resolve within the timeoutMs it was given",
    ).catch((error: unknown) => {
      if (error instanceof ConformanceError) throw error;
      return fail(`probe() rejected instead of resolving { ok: false, detail }: ${describeError(error)}`);
    });
    if (result?.ok !== true) {
      fail(`probe() of a working account should resolve { ok: true }, got ${JSON.stringify(result)}`);
    }
  });
}

/** Injects a message after the account was stopped and fails if it reaches onInbound within the quiet window. */
async function expectSilence(
  account: RunningAccount,
  harness: ConformanceHarness,
  after: string,
): Promise<void> {
  const text = uniqueText("after stop");
  const countBefore = account.inbound.length;
  // The platform may refuse the message now that the adapter is gone (e.g. its server closed): that is fine.
  await harness
    .injectDirectMessage({ text, senderId: CONFORMANCE_SENDER_ID })
    .catch((error: unknown) => describeError(error));
  await delay(QUIET_WINDOW_MS);
  if (account.inbound.length > countBefore) {
    fail(
      `onInbound was called after ${after} (${account.inbound.length - countBefore} message(s)): stop receiving and do not call ctx.onInbound once stopped`,
    );
  }
}

export async function checkStop(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    await account.receiveDirectMessage(harness);
    await account.stop();
    await expectSilence(account, harness, "stop() resolved");
  });
}

export async function checkAbort(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
) {
  await withAccount(plugin, createHarness, options, async (account, harness) => {
    await account.receiveDirectMessage(harness);
    account.controller.abort();
    await expectSilence(account, harness, "ctx.signal was aborted");
    await account.stop();
  });
}
