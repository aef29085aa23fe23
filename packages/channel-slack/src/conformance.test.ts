import { runChannelConformance } from "@openclaw/plugin-sdk/testing";
import { decodeSlackEntities, startFakeSlackServer, startPlatformOutage } from "@openclaw/testing";
import { SlackConfigSchema } from "./slack-config.js";
import { createSlackPlugin } from "./slack-plugin.js";

runChannelConformance(createSlackPlugin(), async () => {
  const fake = await startFakeSlackServer();
  // Web API calls go through a relay that can take Slack down and bring it back on the same port.
  const outage = await startPlatformOutage({ target: fake.apiUrl });
  return {
    // The kit demands the text arrive exactly as given; the default "mrkdwn" format renders *ok* as _ok_.
    accountConfig: SlackConfigSchema.parse({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: `${outage.url}${new URL(fake.apiUrl).pathname}`,
      textFormat: "plain",
    }),
    outage,
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
      return (
        fake.posted
          // A post to a user id lands in the IM channel with that user, as on Slack.
          .filter(
            (posted) =>
              posted.method === "chat.postMessage" &&
              (posted.channel === to || posted.channel === fake.dmChannel(to)),
          )
          .map((posted) => decodeSlackEntities(posted.text))
      );
    },
    close: async () => {
      await outage.close();
      await fake.close();
    },
  };
});
