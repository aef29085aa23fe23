import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { type SlackMessageEvent, slackEventToInbound } from "./slack-event-to-inbound.js";

const bot = { userId: "U0BOT", botId: "B0BOT", teamId: "T1", name: "openclaw" };
const context = { accountId: "default", bot };

const event = (extra: Partial<SlackMessageEvent>): SlackMessageEvent => ({
  type: "message",
  channel: "C1",
  channel_type: "channel",
  user: "U1",
  text: "hello",
  ts: "1700000000.000100",
  ...extra,
});

describe("slackEventToInbound", () => {
  it("normalises a DM with the user as peer and the ts as id and time", () => {
    const inbound = slackEventToInbound(event({ channel: "D1", channel_type: "im" }), {
      ...context,
      senderName: "alice",
    });
    expect(inbound).toEqual({
      channel: "slack",
      accountId: "default",
      peer: { id: "U1", name: "alice" },
      chatKind: "dm",
      sender: { id: "U1", name: "alice" },
      text: "hello",
      mentionsBot: false,
      timestamp: 1_700_000_000_000,
      platformMessageId: "1700000000.000100",
    });
  });

  it("marks <@bot> mentions and app_mention events, stripping only a leading mention", () => {
    expect(slackEventToInbound(event({ text: "<@U0BOT>: deploy" }), context)).toMatchObject({
      text: "deploy",
      mentionsBot: true,
      chatKind: "group",
      chatId: "C1",
    });
    expect(slackEventToInbound(event({ text: "hi <@U0BOT>" }), context)).toMatchObject({
      text: "hi <@U0BOT>",
      mentionsBot: true,
    });
    expect(slackEventToInbound(event({ text: "<@U0OTHER> hi" }), context)).toMatchObject({
      mentionsBot: false,
    });
    const mention = slackEventToInbound(
      { type: "app_mention", channel: "C1", user: "U1", text: "<@U0BOT> yo", ts: "1.000001" },
      context,
    );
    expect(mention).toMatchObject({ chatKind: "group", mentionsBot: true, text: "yo" });
  });

  it("makes thread replies threads and leaves the thread root a group message", () => {
    const reply = slackEventToInbound(event({ thread_ts: "1699999999.000001" }), context);
    expect(reply).toMatchObject({ chatKind: "thread", chatId: "C1", threadId: "1699999999.000001" });
    expect(InboundMessageSchema.safeParse(reply).success).toBe(true);
    const root = slackEventToInbound(event({ thread_ts: "1700000000.000100" }), context);
    expect(root).toMatchObject({ chatKind: "group" });
  });

  it("skips the bot's own posts, edits, joins and events without a user", () => {
    expect(slackEventToInbound(event({ user: "U0BOT" }), context)).toBeUndefined();
    expect(slackEventToInbound(event({ bot_id: "B0BOT", user: "U9" }), context)).toBeUndefined();
    expect(slackEventToInbound(event({ subtype: "message_changed" }), context)).toBeUndefined();
    expect(slackEventToInbound(event({ subtype: "channel_join" }), context)).toBeUndefined();
    expect(slackEventToInbound(event({ user: undefined }), context)).toBeUndefined();
    expect(slackEventToInbound(event({ subtype: "thread_broadcast" }), context)).toBeDefined();
  });
});
