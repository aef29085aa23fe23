import { runChannelConformance } from "@openclaw/plugin-sdk/testing";
import { startFakeDiscordServer, startPlatformOutage } from "@openclaw/testing";
import { DiscordConfigSchema } from "./discord-config.js";
import { createDiscordPlugin } from "./discord-plugin.js";

runChannelConformance(createDiscordPlugin(), async () => {
  const fake = await startFakeDiscordServer();
  // REST calls go through a relay that can take Discord down and bring it back on the same port.
  const outage = await startPlatformOutage({ target: fake.apiBase });
  return {
    accountConfig: DiscordConfigSchema.parse({
      token: fake.token,
      apiBaseUrl: `${outage.url}${new URL(fake.apiBase).pathname}`,
    }),
    outage,
    async injectDirectMessage({ text, senderId, senderName }) {
      fake.sendDirectMessage({
        author: {
          id: senderId,
          username: `user${senderId}`,
          ...(senderName === undefined ? {} : { globalName: senderName }),
        },
        content: text,
      });
    },
    async injectGroupMessage({ text, senderId, groupId, mentionBot }) {
      // The kit matches the text exactly, so the mention rides in `mentions` (as a reply ping or a mention picked
      // from the member list does) rather than an added "<@id>".
      fake.sendGuildMessage({
        channelId: groupId,
        author: { id: senderId, username: `user${senderId}` },
        content: text,
        mentionBot,
      });
    },
    async sentTexts(to) {
      // A DM peer is a user; Discord delivers to that user's DM channel.
      const channelIds = new Set([to, fake.dmChannelId(to)]);
      return fake.messages.filter((sent) => channelIds.has(sent.channelId)).map((sent) => sent.content);
    },
    close: async () => {
      await outage.close();
      await fake.close();
    },
  };
});
