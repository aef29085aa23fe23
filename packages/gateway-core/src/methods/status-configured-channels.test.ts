import type { ChannelPlugin } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { PluginRegistry } from "../channels/plugin-registry.js";
import { memoryPlatform } from "../channels/reply-delivery.test-support.js";
import { callChecked, useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";

const env = useIntegrationEnv();

/** The four first-party channel kinds, registered the way the gateway app registers them, none of them running. */
function firstPartyKinds(started: string[]): PluginRegistry {
  const plugins = new PluginRegistry();
  for (const id of ["telegram", "slack", "discord", "whatsapp"]) {
    const plugin: ChannelPlugin = {
      ...memoryPlatform({ id }).plugin,
      startAccount: async (ctx) => {
        started.push(id);
        ctx.setStatus({ connected: true, lastError: null });
        return { stop: async () => undefined };
      },
    };
    plugins.registerChannel(plugin);
  }
  return plugins;
}

describe("which channels `status`, `health` and `channels.status` count as present (issue 17)", () => {
  it("lists none when no channel is configured, though four kinds are registered", async () => {
    const gateway = await env.start({ plugins: firstPartyKinds([]) });
    const { client } = await env.connect(gateway);

    expect((await callChecked(client, "status")).channels).toEqual([]);
    expect(await callChecked(client, "health")).toMatchObject({ channelOrder: [], channels: {} });
    expect(await callChecked(client, "channels.status", {})).toMatchObject({
      channelOrder: [],
      channels: {},
      channelAccounts: {},
    });
    // Asked for by name, a registered kind answers that it is not configured.
    const telegram = await callChecked(client, "channels.status", { channel: "telegram" });
    expect(telegram.channels.telegram).toMatchObject({ configured: false, running: false });
    expect(telegram.channelAccounts.telegram).toEqual([]);
  });

  it("lists exactly the configured ones", async () => {
    const started: string[] = [];
    const gateway = await env.start({
      plugins: firstPartyKinds(started),
      config: { channels: { slack: { dmPolicy: "open", allowFrom: ["*"] } } },
    });
    const { client } = await env.connect(gateway);
    await eventually(() => started.includes("slack"), "the slack account to start");

    expect((await callChecked(client, "status")).channels).toEqual(["slack"]);
    expect((await callChecked(client, "health")).channelOrder).toEqual(["slack"]);
    const status = await callChecked(client, "channels.status", {});
    expect(status.channelOrder).toEqual(["slack"]);
    expect(status.channels.slack).toMatchObject({ configured: true, running: true });
    expect(started).toEqual(["slack"]);
  });
});
