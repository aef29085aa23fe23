import { type ChannelPlugin, createAccountRegistry, defineChannelPlugin } from "@openclaw/plugin-sdk";
import { Routes } from "discord.js";
import { type DiscordAccountRuntime, startDiscordAccount } from "./discord-account.js";
import { toDiscordChannelError } from "./discord-api-failure.js";
import { DiscordChannelError } from "./discord-channel-error.js";
import { type DiscordConfig, DiscordConfigSchema } from "./discord-config.js";
import { DISCORD_MAX_TEXT_LENGTH, resolveSendTarget, sendDiscordText } from "./discord-send.js";

/**
 * Creates the Discord channel plugin. Each call has its own account table, so tests (or two gateways in one
 * process) never share running clients; the gateway uses the {@link discordPlugin} instance.
 */
export function createDiscordPlugin(): ChannelPlugin<DiscordConfig> {
  const accounts = createAccountRegistry<DiscordAccountRuntime>(
    (accountId) =>
      new DiscordChannelError(
        "DISCORD_ACCOUNT_NOT_RUNNING",
        `Discord account "${accountId}" is not running: start it with \`openclaw channels start discord --account ${accountId}\``,
      ),
  );
  const runningAccount = accounts.running;

  return defineChannelPlugin<DiscordConfig>({
    apiVersion: 1,
    id: "discord",
    meta: {
      label: "Discord",
      description:
        "Discord bots over the gateway (discord.js): DMs, guild channels with mention gating, threads.",
    },
    configSchema: DiscordConfigSchema,
    platformEndpoint: (config) => ({ url: config.apiBaseUrl, configKey: "apiBaseUrl" }),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: false,
      typing: true,
      media: false,
      edits: false,
      maxTextLength: DISCORD_MAX_TEXT_LENGTH,
    },

    startAccount: (context) =>
      startDiscordAccount(context, (runtime) => {
        return accounts.register(runtime);
      }),

    async sendText({ accountId, to, text, threadId, replyTo }) {
      const { client } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      return sendDiscordText(channel, accountId, text, replyTo);
    },

    async sendTyping({ accountId, to, threadId }) {
      const { client } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      try {
        await channel.sendTyping();
      } catch (error) {
        throw toDiscordChannelError(error, accountId);
      }
    },

    async probe({ accountId, timeoutMs }) {
      const runtime = accounts.get(accountId);
      if (runtime === undefined) return { ok: false, detail: "not running" };
      try {
        const me = (await runtime.client.rest.get(Routes.user(), {
          signal: AbortSignal.timeout(timeoutMs),
        })) as { username: string };
        return { ok: true, detail: `@${me.username}` };
      } catch (error) {
        return { ok: false, detail: toDiscordChannelError(error, accountId).message };
      }
    },
  });
}

export const discordPlugin: ChannelPlugin<DiscordConfig> = createDiscordPlugin();
