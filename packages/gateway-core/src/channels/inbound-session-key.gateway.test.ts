import type { ChannelAccountContext, ChannelPlugin } from "@openclaw/plugin-sdk";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { PluginRegistry } from "./plugin-registry.js";
import { memoryPlatform } from "./reply-delivery.test-support.js";

const env = useIntegrationEnv();

/** Two in-memory channels ("tele" and "disc") on one gateway with the fake model; `session` is the config's. */
async function start(session: Record<string, unknown>) {
  const fake: FakeModelServer = await startFakeModelServer();
  env.defer(() => fake.close());
  const contexts = new Map<string, ChannelAccountContext>();
  const platforms = ["tele", "disc"].map((id) => memoryPlatform({ id }));
  const plugins = new PluginRegistry();
  for (const platform of platforms) {
    const plugin: ChannelPlugin = {
      ...platform.plugin,
      startAccount: async (ctx) => {
        contexts.set(platform.plugin.id, ctx as ChannelAccountContext);
        ctx.setStatus({ connected: true, lastError: null });
        return { stop: async () => undefined };
      },
    };
    plugins.registerChannel(plugin);
  }
  const open = { dmPolicy: "open", allowFrom: ["*"] };
  const gateway = await env.start({
    plugins,
    config: {
      models: {
        providers: {
          fake: {
            baseUrl: fake.baseUrlFor("openai-completions"),
            apiKey: "fake-key",
            api: "openai-completions",
            models: [{ id: "fast" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/fast" }, skipBootstrap: true } },
      channels: { tele: open, disc: open },
      session,
    },
  });
  await eventually(() => contexts.size === 2, "both accounts to start");
  const runtime = gateway.server.runtime;
  let count = 0;
  const dm = async (channel: string, senderId: string, text: string) => {
    count += 1;
    const before = fake.requests.length;
    void contexts.get(channel)?.onInbound({
      channel,
      accountId: "default",
      peer: { id: senderId },
      chatKind: "dm",
      sender: { id: senderId },
      mentionsBot: false,
      timestamp: Date.now(),
      platformMessageId: `m-${count}`,
      text,
    });
    await eventually(() => fake.requests.length > before, `the turn of "${text}"`);
    await runtime.channels.idle();
  };
  const keys = async () => (await runtime.sessions.list()).rows.map((row) => row.key).sort();
  return { fake, dm, keys };
}

describe("DM session keys through the gateway", () => {
  it("session.identityLinks: one person's DMs on two channels share one per-peer session and its history", async () => {
    const { fake, dm, keys } = await start({
      dmScope: "per-peer",
      identityLinks: { alice: ["tele:u1", "disc:d9"] },
    });
    await dm("tele", "u1", "my favourite flower is the ORCHID");
    await dm("disc", "d9", "what is my favourite flower?");
    await dm("disc", "stranger", "hello");
    expect(await keys()).toEqual(["agent:main:direct:alice", "agent:main:direct:stranger"]);
    expect(JSON.stringify(fake.requests[1]?.body)).toContain("ORCHID");
  });

  it("dmScope per-account-channel-peer keeps channels and accounts apart", async () => {
    const { dm, keys } = await start({ dmScope: "per-account-channel-peer" });
    await dm("tele", "u1", "hi");
    await dm("disc", "u1", "hi");
    expect(await keys()).toEqual(["agent:main:disc:default:direct:u1", "agent:main:tele:default:direct:u1"]);
  });
});
