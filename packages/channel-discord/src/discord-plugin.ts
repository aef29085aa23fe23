import { type ChannelPlugin, createAccountRegistry, defineChannelPlugin } from "@openclaw/plugin-sdk";
import { Routes } from "discord.js";
import { type DiscordAccountRuntime, startDiscordAccount } from "./discord-account.js";
import { toDiscordChannelError } from "./discord-api-failure.js";
import { DiscordChannelError } from "./discord-channel-error.js";
import { type DiscordConfig, DiscordConfigSchema } from "./discord-config.js";
import { reactDiscord } from "./discord-reactions.js";
import {
  DISCORD_MAX_TEXT_LENGTH,
  deleteDiscordMessage,
  editDiscordText,
  resolveSendTarget,
  sendDiscordText,
} from "./discord-send.js";
import { DISCORD_MAX_UPLOAD_BYTES, sendDiscordMedia } from "./discord-send-media.js";

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
        "Discord bots over the gateway (discord.js): DMs, guild channels with mention gating, threads, media, edits, reactions and slash commands.",
    },
    configSchema: DiscordConfigSchema,
    platformEndpoint: (config) => ({ url: config.apiBaseUrl, configKey: "apiBaseUrl" }),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: true,
      typing: true,
      media: true,
      edits: true,
      maxTextLength: DISCORD_MAX_TEXT_LENGTH,
      maxMediaBytes: DISCORD_MAX_UPLOAD_BYTES,
      nativeCommands: true,
    },

    startAccount: (context) =>
      startDiscordAccount(context, (runtime) => {
        return accounts.register(runtime);
      }),

    async sendText({ accountId, to, text, threadId, replyTo }) {
      const { client, sent } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      const { messageId, messageIds } = await sendDiscordText(channel, accountId, text, replyTo);
      for (const id of messageIds) sent.add(id);
      return { messageId };
    },

    async sendMedia({ accountId, to, media, caption, threadId, replyTo }) {
      const { client, sent } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      const { messageId, messageIds } = await sendDiscordMedia(channel, accountId, {
        media,
        ...(caption === undefined ? {} : { caption }),
        ...(replyTo === undefined ? {} : { replyTo }),
      });
      for (const id of messageIds) sent.add(id);
      return { messageId };
    },

    async editText({ accountId, to, messageId, text, threadId }) {
      const { client } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      await editDiscordText(channel, accountId, messageId, text);
    },

    async deleteMessage({ accountId, to, messageId, threadId }) {
      const { client } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      await deleteDiscordMessage(channel, accountId, messageId);
    },

    async react({ accountId, to, messageId, emoji, remove, threadId }) {
      const { client } = runningAccount(accountId);
      const channel = await resolveSendTarget(client, accountId, to, threadId);
      await reactDiscord(channel, accountId, {
        messageId,
        emoji,
        ...(remove === undefined ? {} : { remove }),
      });
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
