import { PluginRegistry } from "@openclaw/gateway-core";
import { importChannelPackage } from "./channel-package.js";

/**
 * The first-party channels. Each is registered lazily: its platform library (grammY, ...) is imported only when a
 * configured account of that channel starts, so the gateway's cold start does not pay for it. The channel packages
 * are optional peer dependencies: one that is not installed fails only its own channel, with the npm command to fix it.
 */
export function createFirstPartyPlugins(): PluginRegistry {
  const registry = new PluginRegistry();
  registry.registerChannel({
    id: "telegram",
    meta: { label: "Telegram", description: "Telegram bots via the Bot API (grammY)" },
    load: () =>
      importChannelPackage(
        "telegram",
        async () => (await import("@openclaw/channel-telegram")).telegramPlugin,
      ),
  });
  registry.registerChannel({
    id: "slack",
    meta: { label: "Slack", description: "Slack apps via Socket Mode or the Events API (@slack/bolt)" },
    load: () =>
      importChannelPackage("slack", async () => (await import("@openclaw/channel-slack")).slackPlugin),
  });
  registry.registerChannel({
    id: "discord",
    meta: { label: "Discord", description: "Discord bots via the gateway (discord.js)" },
    load: () =>
      importChannelPackage("discord", async () => (await import("@openclaw/channel-discord")).discordPlugin),
  });
  registry.registerChannel({
    id: "whatsapp",
    meta: { label: "WhatsApp", description: "WhatsApp as a linked device (Baileys)" },
    load: () =>
      importChannelPackage(
        "whatsapp",
        async () => (await import("@openclaw/channel-whatsapp")).whatsappPlugin,
      ),
  });
  // The first-party storage engines, imported when the config names them: `storage.driver` "sqlite" (the default
  // for a new install) or "postgres" (shared by several gateways). node:sqlite and pg load only then.
  registry.registerStorageDriver({
    id: "sqlite",
    open: async (options, context) =>
      (await import("@openclaw/store-sqlite")).sqliteStorageDriver.open(options, context),
    // On a Node without node:sqlite, a config that names no driver keeps the legacy file layout.
    unavailableReason: async () =>
      (await import("@openclaw/store-sqlite")).sqliteStorageDriver.unavailableReason?.(),
  });
  registry.registerStorageDriver({
    id: "postgres",
    open: async (options, context) =>
      (await import("@openclaw/store-postgres")).postgresStorageDriver.open(options, context),
  });
  return registry;
}
