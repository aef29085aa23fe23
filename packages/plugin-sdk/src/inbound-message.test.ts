import { describe, expect, it } from "vitest";
import { type InboundMessage, InboundMessageSchema } from "./inbound-message.js";

const groupMessage: InboundMessage = {
  channel: "telegram",
  accountId: "default",
  peer: { id: "-1001234567890", name: "Release crew" },
  chatKind: "group",
  chatId: "-1001234567890",
  sender: { id: "42", name: "Ada Lovelace", username: "ada" },
  text: "@openclaw_bot what's on the release list?",
  mentionsBot: true,
  replyTo: { messageId: "981", text: "release on Friday" },
  timestamp: 1_737_264_000_000,
  platformMessageId: "982",
};

function issuePaths(value: unknown): string[] {
  const result = InboundMessageSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.path.join("."));
}

describe("InboundMessageSchema", () => {
  it("parses a group message with every field", () => {
    expect(InboundMessageSchema.parse(groupMessage)).toEqual(groupMessage);
  });

  it("parses a minimal DM and drops unknown fields", () => {
    const dm = {
      channel: "slack",
      accountId: "work",
      peer: { id: "U024BE7LH" },
      chatKind: "dm",
      sender: { id: "U024BE7LH" },
      text: "",
      mentionsBot: false,
      timestamp: 0,
      platformMessageId: "1355517523.000005",
      rawEnvelope: { type: "event_callback" },
    };

    const parsed = InboundMessageSchema.parse(dm);

    expect(parsed).not.toHaveProperty("rawEnvelope");
    expect(parsed.chatKind).toBe("dm");
  });

  it("parses a thread message", () => {
    const thread = { ...groupMessage, chatKind: "thread", threadId: "1700000000.000100" };

    expect(InboundMessageSchema.parse(thread).threadId).toBe("1700000000.000100");
  });

  it("rejects missing and mistyped fields, naming each path", () => {
    const { sender: _sender, ...withoutSender } = groupMessage;
    expect(issuePaths(withoutSender)).toEqual(["sender"]);
    expect(issuePaths({ ...groupMessage, chatKind: "channel" })).toEqual(["chatKind"]);
    expect(issuePaths({ ...groupMessage, timestamp: 1.5 })).toEqual(["timestamp"]);
    expect(issuePaths({ ...groupMessage, timestamp: -1 })).toEqual(["timestamp"]);
    expect(issuePaths({ ...groupMessage, mentionsBot: "yes" })).toEqual(["mentionsBot"]);
    expect(issuePaths({ ...groupMessage, peer: { id: "" } })).toEqual(["peer.id"]);
  });

  it("requires chatId for groups and threadId for threads", () => {
    const { chatId: _chatId, ...groupWithoutChat } = groupMessage;
    expect(issuePaths(groupWithoutChat)).toEqual(["chatId"]);
    expect(issuePaths({ ...groupMessage, chatKind: "thread" })).toEqual(["threadId"]);
  });
});
