import type { ChannelAccountHandle, ChannelLogger, ChannelPlugin } from "./channel-plugin.js";
import { fail, waitForListeners, within } from "./conformance-error.js";
import { type InboundMessage, InboundMessageSchema } from "./inbound-message.js";

/** How the platform is unreachable; `@openclaw/testing`'s `startPlatformOutage` provides all three. */
export type ConformanceOutageMode = "refused" | "http-500" | "hang";

/** A harness's controls to take the platform down and bring it back. */
export interface ConformanceOutage {
  /** From now on the platform refuses connections, answers 500 with an HTML page, or never answers. */
  fail(mode: ConformanceOutageMode): Promise<void>;
  /** The platform works again. */
  restore(): Promise<void>;
}

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

const silentLogger: ChannelLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A text no other check sends, so a message is recognised by its text alone. */
export function uniqueText(label: string): string {
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

/** Runs `body` with one account started from the harness's config; stops it before the harness closes. */
export async function withAccount(
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
