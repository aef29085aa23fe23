import { runChannelConformance } from "@openclaw/plugin-sdk/testing";
import { decodeSlackEntities, startFakeSlackServer } from "@openclaw/testing";
import { SlackConfigSchema } from "./slack-config.js";
import { createSlackPlugin } from "./slack-plugin.js";

runChannelConformance(createSlackPlugin(), async () => {
  const fake = await startFakeSlackServer();
  return {
    // The kit demands the text arrive exactly as given; the default "mrkdwn" format renders *ok* as _ok_.
    accountConfig: SlackConfigSchema.parse({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      textFormat: "plain",
    }),
    async injectDirectMessage({ text, senderId, senderName }) {
      if (senderName !== undefined) fake.addUser({ id: senderId, name: senderName });
      fake.sendDirectMessage({ user: senderId, text });
    },
    async injectGroupMessage({ text, senderId, groupId, mentionBot }) {
      // A leading <@bot> only addresses the bot and is dropped from the text, so the kit's exact match holds.
      fake.sendChannelMessage({
        channel: groupId,
        user: senderId,
        text: mentionBot ? fake.mention(text) : text,
      });
    },
    async sentTexts(to) {
      // Slack shows the text with its &, <, > entities decoded: that is what the user reads.
      return fake.posted
        .filter((posted) => posted.method === "chat.postMessage" && posted.channel === to)
        .map((posted) => decodeSlackEntities(posted.text));
    },
    close: () => fake.close(),
  };
});
