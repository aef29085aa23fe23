import type { ChannelAccountContext, InboundMessage, InboundReaction } from "@openclaw/plugin-sdk";
import { type FakeSlackServer, startFakeSlackServer } from "@openclaw/testing";
import { afterEach, beforeEach } from "vitest";
import type { SlackAccountHandle } from "./slack-account.js";
import { type SlackConfig, SlackConfigSchema } from "./slack-config.js";
import { createSlackPlugin } from "./slack-plugin.js";

/** Resolves the next item pushed to a queue, or one already waiting. */
function queue<T>() {
  const items: T[] = [];
  const waiters: ((item: T) => void)[] = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      waiters.shift()?.(item);
    },
    next: () => new Promise<T>((resolve) => waiters.push(resolve)),
  };
}

export interface SlackTestAccount {
  fake: FakeSlackServer;
  plugin: ReturnType<typeof createSlackPlugin>;
  handle: SlackAccountHandle | undefined;
  inbound: ReturnType<typeof queue<InboundMessage>>;
  reactions: ReturnType<typeof queue<InboundReaction>>;
  /** Every log line of the account, fields as JSON (to check that no token is logged). */
  logged: string[];
  /** Starts the account against the fake (context and config overrides merged in). */
  start(extra?: Partial<ChannelAccountContext<SlackConfig>>, config?: Record<string, unknown>): Promise<void>;
}

/**
 * A fresh fake Slack (with user U0ALICE "alice" and channel C0TEAM "#team") and plugin for each test of the file;
 * the account is stopped and the fake closed after each.
 */
export function useSlackTestAccount(): SlackTestAccount {
  const env = { logged: [] as string[] } as SlackTestAccount;
  const log = (message: string, fields?: unknown) => env.logged.push(message + JSON.stringify(fields ?? {}));
  env.start = async (extra = {}, config = {}) => {
    env.handle = (await env.plugin.startAccount({
      accountId: "default",
      config: SlackConfigSchema.parse({
        botToken: env.fake.botToken,
        appToken: env.fake.appToken,
        apiUrl: env.fake.apiUrl,
        ...config,
      }),
      logger: { debug: log, info: log, warn: log, error: log },
      signal: new AbortController().signal,
      onInbound: (message) => env.inbound.push(message),
      onReaction: (reaction) => env.reactions.push(reaction),
      setStatus: () => undefined,
      ...extra,
    })) as SlackAccountHandle;
  };
  beforeEach(async () => {
    env.fake = await startFakeSlackServer();
    env.fake.addUser({ id: "U0ALICE", name: "alice" });
    env.fake.addChannel({ id: "C0TEAM", name: "team" });
    env.plugin = createSlackPlugin();
    env.inbound = queue<InboundMessage>();
    env.reactions = queue<InboundReaction>();
    env.logged.length = 0;
  });
  afterEach(async () => {
    await env.handle?.stop();
    env.handle = undefined;
    await env.fake.close();
  });
  return env;
}
