import { copyFile } from "node:fs/promises";
import type { ChannelPlugin } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv, writeConfig } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { PluginRegistry } from "./plugin-registry.js";
import { memoryPlatform } from "./reply-delivery.test-support.js";

const env = useIntegrationEnv();

/** A gateway running one memo account, with every log record kept and the account's stops counted. */
async function startWithMemoAccount(channelSection: Record<string, unknown>) {
  const logs: LogRecord[] = [];
  const lifecycle = { starts: 0, stops: 0 };
  const plugin: ChannelPlugin = {
    ...memoryPlatform({ id: "memo" }).plugin,
    startAccount: async (ctx) => {
      lifecycle.starts += 1;
      ctx.setStatus({ connected: true, lastError: null });
      return {
        stop: async () => {
          lifecycle.stops += 1;
        },
      };
    },
  };
  const plugins = new PluginRegistry();
  plugins.registerChannel(plugin);
  const gateway = await env.start({
    plugins,
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
    config: { channels: { memo: channelSection } },
  });
  const { client } = await env.connect(gateway);
  await eventually(() => lifecycle.starts >= 1, "the memo account to start");
  return { gateway, client, logs, lifecycle };
}

/** What `openclaw config reset --yes` does to the file: keep a backup, write the fresh minimal config. */
async function resetConfigLikeTheCli(stateDir: string, configPath: string): Promise<void> {
  await copyFile(configPath, `${configPath}.bak.test`);
  await writeConfig(stateDir, {
    gateway: { bind: "loopback", auth: { mode: "token", token: "fresh-token" } },
  });
}

describe("a config reset while a channel runs (issue 17)", () => {
  it("stops the channel cleanly, logs no error and drops it from channels.status", async () => {
    const { gateway, client, logs, lifecycle } = await startWithMemoAccount({ dmPolicy: "open" });
    const before = await client.call("channels.status", {});
    expect(before).toMatchObject({ channelOrder: ["memo"], channels: { memo: { configured: true } } });

    await resetConfigLikeTheCli(gateway.stateDir, gateway.configPath);
    await eventually(() => lifecycle.stops === 1, "the memo account to stop");
    await eventually(
      () => logs.some((record) => record.msg === "channel account stopped"),
      "the stop to be logged",
    );

    const after = (await client.call("channels.status", {})) as Record<string, unknown>;
    expect(after).toMatchObject({ channelOrder: [], channels: {}, channelAccounts: {} });
    const health = (await client.call("health", {})) as Record<string, unknown>;
    expect(health).toMatchObject({ channelOrder: [], channels: {} });
    expect(logs.filter((record) => record.level === "error")).toEqual([]);
    expect(lifecycle.starts).toBe(1);
  });

  it("forgets an account that left the config and keeps the one that stayed running", async () => {
    const { gateway, client, logs, lifecycle } = await startWithMemoAccount({
      dmPolicy: "open",
      accounts: { work: {}, home: {} },
    });
    await eventually(() => lifecycle.starts === 2, "both memo accounts to start");

    await writeConfig(gateway.stateDir, { channels: { memo: { dmPolicy: "open", accounts: { work: {} } } } });
    await eventually(() => lifecycle.starts === 3, "the remaining account to start again");

    const status = (await client.call("channels.status", {})) as {
      channelAccounts: Record<string, { accountId: string; running?: boolean }[]>;
    };
    expect(status.channelAccounts.memo?.map((account) => [account.accountId, account.running])).toEqual([
      ["work", true],
    ]);
    expect(logs.filter((record) => record.level === "error")).toEqual([]);
  });
});
