import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { telegramMessageToInbound } from "./telegram-message-to-inbound.js";

const bot = { id: 999, username: "openclaw_test_bot" };
const alice = { id: 42, is_bot: false, first_name: "Alice", last_name: "Liddell", username: "alice" };
const group = { id: -100123, type: "supergroup" as const, title: "Team" };

function message(fields: Partial<Message> & Pick<Message, "chat">): Message {
  return { message_id: 7, date: 1_700_000_000, from: alice, text: "hi", ...fields } as Message;
}

function normalise(m: Message) {
  const inbound = telegramMessageToInbound(m, { accountId: "default", bot });
  if (inbound !== undefined) InboundMessageSchema.parse(inbound);
  return inbound;
}

describe("telegramMessageToInbound", () => {
  it("maps a DM to the user as peer", () => {
    expect(normalise(message({ chat: { id: 42, type: "private", first_name: "Alice" } }))).toEqual({
      channel: "telegram",
      accountId: "default",
      chatKind: "dm",
      peer: { id: "42", name: "Alice Liddell" },
      sender: { id: "42", name: "Alice Liddell", username: "alice" },
      text: "hi",
      mentionsBot: false,
      timestamp: 1_700_000_000_000,
      platformMessageId: "7",
    });
  });

  it("maps a group message to the group, with mentionsBot from the @mention entity", () => {
    const plain = normalise(message({ chat: group }));
    expect(plain).toMatchObject({
      chatKind: "group",
      chatId: "-100123",
      peer: { id: "-100123", name: "Team" },
    });
    expect(plain?.mentionsBot).toBe(false);
    const text = "hey @OpenClaw_Test_Bot look";
    const mentioned = normalise(
      message({ chat: group, text, entities: [{ type: "mention", offset: 4, length: 18 }] }),
    );
    expect(mentioned?.mentionsBot).toBe(true);
    const other = normalise(
      message({
        chat: group,
        text: "hey @someone_else",
        entities: [{ type: "mention", offset: 4, length: 13 }],
      }),
    );
    expect(other?.mentionsBot).toBe(false);
  });

  it("counts a text_mention of the bot, a /command@bot and a reply to the bot as mentions", () => {
    const botUser = { id: 999, is_bot: true, first_name: "Claw" };
    expect(
      normalise(
        message({
          chat: group,
          text: "Claw?",
          entities: [{ type: "text_mention", offset: 0, length: 4, user: botUser }],
        }),
      )?.mentionsBot,
    ).toBe(true);
    expect(
      normalise(
        message({
          chat: group,
          text: "/status@openclaw_test_bot",
          entities: [{ type: "bot_command", offset: 0, length: 25 }],
        }),
      )?.mentionsBot,
    ).toBe(true);
    const reply = normalise(
      message({
        chat: group,
        reply_to_message: {
          message_id: 3,
          date: 1,
          chat: group,
          from: botUser,
          text: "earlier answer",
        } as Message["reply_to_message"],
      }),
    );
    expect(reply).toMatchObject({ mentionsBot: true, replyTo: { messageId: "3", text: "earlier answer" } });
  });

  it("maps a forum topic message to a thread and ignores the implicit reply to the topic opener", () => {
    const forum = { ...group, is_forum: true as const };
    const inbound = normalise(
      message({
        chat: forum,
        message_thread_id: 55,
        is_topic_message: true,
        reply_to_message: {
          message_id: 55,
          date: 1,
          chat: forum,
          from: { id: 999, is_bot: true, first_name: "Claw" },
          forum_topic_created: { name: "Ops", icon_color: 1 },
        } as Message["reply_to_message"],
      }),
    );
    expect(inbound).toMatchObject({
      chatKind: "thread",
      chatId: "-100123",
      threadId: "55",
      mentionsBot: false,
    });
    expect(inbound?.replyTo).toBeUndefined();
  });

  it("skips messages without text or sender, and channel posts", () => {
    expect(normalise(message({ chat: group, text: undefined }))).toBeUndefined();
    expect(normalise(message({ chat: group, from: undefined }))).toBeUndefined();
    expect(normalise(message({ chat: { id: -1, type: "channel", title: "News" } }))).toBeUndefined();
  });
});
