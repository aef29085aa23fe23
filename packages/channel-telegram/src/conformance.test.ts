import { runChannelConformance } from "@openclaw/plugin-sdk/testing";
import { startFakeTelegramServer, startPlatformOutage } from "@openclaw/testing";
import { TelegramConfigSchema } from "./telegram-config.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

runChannelConformance(createTelegramPlugin(), async () => {
  const fake = await startFakeTelegramServer();
  // Every request goes through a relay that can take the Bot API down and bring it back on the same port.
  const outage = await startPlatformOutage({ target: fake.apiRoot });
  return {
    // The kit demands the text arrive exactly as given; the default "markdown" format renders *ok* as italics.
    accountConfig: TelegramConfigSchema.parse({
      botToken: fake.token,
      apiRoot: outage.url,
      textFormat: "plain",
    }),
    outage,
    async injectDirectMessage({ text, senderId, senderName }) {
      const id = Number(senderId);
      fake.sendMessage({
        chat: { id, type: "private" },
        from: { id, first_name: senderName ?? "Tester" },
        text,
      });
    },
    async injectGroupMessage({ text, senderId, groupId, mentionBot }) {
      // The kit matches the text exactly, so the mention is a text_mention of the bot over the first word
      // (how Telegram marks a mention picked from the member list) rather than an added "@username".
      const firstWord = text.split(" ")[0] ?? text;
      fake.sendMessage({
        chat: { id: Number(groupId), type: "supergroup", title: "Conformance" },
        from: { id: Number(senderId), first_name: "Tester" },
        text,
        entities: mentionBot
          ? [{ type: "text_mention", offset: 0, length: firstWord.length, user: fake.bot }]
          : [],
      });
    },
    async sentTexts(to) {
      return fake.sent
        .filter((sent) => sent.method === "sendMessage" && sent.chatId === to)
        .map((sent) => sent.text ?? "");
    },
    close: async () => {
      await outage.close();
      await fake.close();
    },
  };
});
