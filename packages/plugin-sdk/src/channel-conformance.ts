import type { ConformanceOutage } from "./channel-conformance-outage.js";
import {
  type ChannelAccountHandle,
  type ChannelLogger,
  type ChannelPlugin,
  validateChannelPlugin,
} from "./channel-plugin.js";
import { ConformanceError, describeError, fail, waitForListeners, within } from "./conformance-error.js";
import { type InboundMessage, InboundMessageSchema } from "./inbound-message.js";
import { PluginError } from "./plugin-error.js";

export { ConformanceError } from "./conformance-error.js";

/** What an adapter's own test provides so that the conformance kit can drive the platform side. */
export interface ConformanceHarness<Config = unknown> {
  /** A valid account config for this plugin, pointing at whatever fake the adapter's own test started. */
  accountConfig: Config | unknown;
  /** Default "default". */
  accountId?: string;
  /** Make the platform deliver one DM from a user to the bot; resolves when sent into the fake. */
  injectDirectMessage(options: { text: string; senderId: string; senderName?: string }): Promise<void>;
  /** Optional: a group message, mentioning the bot or not. */
  injectGroupMessage?(options: {
    text: string;
    senderId: string;
    groupId: string;
    mentionBot: boolean;
  }): Promise<void>;
  /** What the platform received from the adapter's sendText calls to `to`, in order. */
  sentTexts(to: string): Promise<string[]>;
  /** Optional: takes the platform down and brings it back, to check that failures surface and starts recover. */
  outage?: ConformanceOutage;
}

export type ClosableConformanceHarness<Config = unknown> = ConformanceHarness<Config> & {
  close(): Promise<void>;
};

export type ConformanceHarnessFactory<Config = unknown> = () => Promise<ClosableConformanceHarness<Config>>;

export interface ConformanceOptions {
  /** How long to wait for each platform round trip (start, an inbound message, a delivery). Default 5000 ms. */
  timeoutMs?: number;
}

/** The contract's bound on `stop()`: the gateway stops channels on shutdown and restart. */
export const STOP_DEADLINE_MS = 1000;
/** How long the kit watches for a message that must not arrive (after stop or abort). */
export const QUIET_WINDOW_MS = 300;
/** Numeric-looking ids so that platforms with numeric ids (Telegram) can use them as they are. */
export const CONFORMANCE_SENDER_ID = "424242";
export const CONFORMANCE_GROUP_ID = "-1004242";

const ACCESS_POLICY_KEYS = {
  enabled: true,
  dmPolicy: "pairing",
  allowFrom: ["424242"],
  groupPolicy: "allowlist",
  groups: { "-1004242": { requireMention: true } },
  requireMention: true,
};

const silentLogger: ChannelLogger = { debug() {}, info() {}, warn() {}, error() {} };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function uniqueText(label: string): string {
  return `conformance ${label} ${Math.random().toString(36).slice(2, 10)}`;
}

/** One started account and everything the plugin reported through its context. */
export class RunningAccount {
  readonly controller = new AbortController();
  readonly inbound: unknown[] = [];
  readonly statuses: { connected?: boolean; lastError?: string | null }[] = [];
  handle: ChannelAccountHandle | undefined;
  stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly plugin: ChannelPlugin,
    readonly accountId: string,
    readonly timeoutMs: number,
  ) {}

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves once `predicate` holds, re-checked after every inbound message and status report. */
  waitUntil(predicate: () => boolean, what: string): Promise<void> {
    return waitForListeners(this.listeners, predicate, this.timeoutMs, what);
  }

  async start(config: unknown): Promise<void> {
    const started = this.plugin.startAccount({
      accountId: this.accountId,
      config,
      logger: silentLogger,
      signal: this.controller.signal,
      onInbound: (message) => {
        this.inbound.push(message);
        this.notify();
      },
      setStatus: (patch) => {
        this.statuses.push({ ...patch });
        this.notify();
      },
    });
    this.handle = await within(
      started,
      this.timeoutMs,
      `startAccount() of account "${this.accountId}" did not resolve: resolve once the account is connected (or failing) and keep running in the background`,
    );
    await this.waitUntil(
      () => this.statuses.some((status) => status.connected === true),
      `startAccount() never reported setStatus({ connected: true }): call it once the platform connection is up`,
    );
  }

  /** Injects a DM and returns the validated InboundMessage it produced. */
  async receiveDirectMessage(harness: ConformanceHarness, text = uniqueText("dm")): Promise<InboundMessage> {
    await harness.injectDirectMessage({
      text,
      senderId: CONFORMANCE_SENDER_ID,
      senderName: "Conformance User",
    });
    return this.receive(text, "a direct message injected into the platform");
  }

  async receive(text: string, what: string): Promise<InboundMessage> {
    const matches = (message: unknown) => (message as { text?: unknown } | null)?.text === text;
    await this.waitUntil(
      () => this.inbound.some(matches),
      `${what} never reached onInbound with its text ${JSON.stringify(text)}: call ctx.onInbound for every platform message (got ${this.inbound.length} other message(s))`,
    );
    const message = this.inbound.find(matches);
    const parsed = InboundMessageSchema.safeParse(message);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
        .join("; ");
      fail(`onInbound received an invalid InboundMessage (${issues}): ${JSON.stringify(message)}`);
    }
    return parsed.data;
  }

  async stop(): Promise<void> {
    if (this.stopped || this.handle === undefined) return;
    this.stopped = true;
    await within(
      this.handle.stop(),
      STOP_DEADLINE_MS,
      `stop() of account "${this.accountId}" did not resolve within ${STOP_DEADLINE_MS} ms: abort in-flight requests and close connections instead of waiting for them`,
    );
  }
}

export async function withHarness(
  createHarness: ConformanceHarnessFactory,
  body: (harness: ClosableConformanceHarness) => Promise<void>,
): Promise<void> {
  const harness = await createHarness();
  try {
    await body(harness);
  } finally {
    await harness.close();
  }
}

async function withAccount(
  plugin: ChannelPlugin,
  createHarness: ConformanceHarnessFactory,
  options: ConformanceOptions,
  body: (account: RunningAccount, harness: ClosableConformanceHarness) => Promise<void>,
): Promise<void> {
  await withHarness(createHarness, async (harness) => {
    const accountId = harness.accountId ?? "default";
    const config = parseConfig(plugin, harness.accountConfig);
    const account = new RunningAccount(plugin, accountId, options.timeoutMs ?? 5000);
    try {
      await account.start(config);
      await body(account, harness);
    } finally {
      // Stop before closing the fake, so that the adapter does not report the fake going away as an error.
      account.controller.abort();
      await account.stop().catch(() => undefined);
    }
  });
}

export function parseConfig(plugin: ChannelPlugin, raw: unknown): unknown {
  const parsed = plugin.configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
    .join("; ");
  return fail(
    `configSchema rejected the harness's accountConfig (${issues}): fix accountConfig in the test or the schema`,
  );
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
