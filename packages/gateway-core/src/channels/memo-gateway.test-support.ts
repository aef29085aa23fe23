import type { ChannelAccountContext, ChannelPlugin, InboundMessage } from "@openclaw/plugin-sdk";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import type { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { PluginRegistry } from "./plugin-registry.js";
import { memoryPlatform } from "./reply-delivery.test-support.js";

type IntegrationEnv = ReturnType<typeof useIntegrationEnv>;

export interface MemoGatewayOptions {
  /** Merged over the memo channel's open DM and group policy. */
  channel?: Record<string, unknown>;
  /** Merged over the base config (models, agents.defaults, channels); `agents` is merged into `agents` itself. */
  config?: Record<string, unknown>;
  clock?: { now: () => number };
}

/**
 * A real gateway with the fake model server and one account of an in-memory platform ("memo"), for tests of what
 * reaches the platform: `deliver` hands the account an inbound DM (or, spread with `inGroup`, a group message).
 */
/** The in-memory "memo" platform registered as a channel whose running account's context the test can reach. */
export function memoChannel() {
  const platform = memoryPlatform({ id: "memo" });
  let context: ChannelAccountContext | undefined;
  const plugin: ChannelPlugin = {
    ...platform.plugin,
    startAccount: async (ctx) => {
      context = ctx as ChannelAccountContext;
      ctx.setStatus({ connected: true, lastError: null });
      return { stop: async () => undefined };
    },
  };
  const plugins = new PluginRegistry();
  plugins.registerChannel(plugin);
  return { platform, plugins, context: () => context };
}

export async function startMemoGateway(env: IntegrationEnv, o: MemoGatewayOptions = {}) {
  const fake: FakeModelServer = await startFakeModelServer();
  env.defer(() => fake.close());
  const { platform, plugins, context: current } = memoChannel();
  const { agents, ...rest } = o.config ?? {};
  const gateway = await env.start({
    plugins,
    ...(o.clock ? { clock: o.clock } : {}),
    config: {
      models: {
        providers: {
          fake: {
            baseUrl: fake.baseUrlFor("openai-completions"),
            apiKey: "fake-key",
            api: "openai-completions",
            models: [{ id: "fast", name: "Fast fake", contextWindow: 32_000 }],
          },
        },
      },
      agents: {
        defaults: { model: { primary: "fake/fast" }, skipBootstrap: true },
        ...(agents as Record<string, unknown> | undefined),
      },
      channels: {
        memo: { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "open", ...o.channel },
      },
      ...rest,
    },
  });
  await eventually(() => current() !== undefined, "the memo account to start");
  let delivered = 0;
  const deliver = (message: Partial<InboundMessage> & { text: string }) => {
    delivered += 1;
    void current()?.onInbound({
      channel: "memo",
      accountId: "default",
      peer: { id: "u1" },
      chatKind: "dm",
      sender: { id: "u1", name: "Ann" },
      mentionsBot: false,
      timestamp: Date.now(),
      platformMessageId: `in-${delivered}`,
      ...message,
    });
  };
  const inGroup = { chatKind: "group" as const, chatId: "g1", peer: { id: "g1" } };
  return { fake, platform, gateway, deliver, inGroup, runtime: gateway.server.runtime };
}
