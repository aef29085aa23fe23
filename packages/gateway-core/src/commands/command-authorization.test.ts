import type { InboundMessage } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { resolveCommandAccess } from "./command-authorization.js";

function message(o: { chatKind: "dm" | "group"; senderId: string; channel?: string }): InboundMessage {
  return {
    channel: o.channel ?? "telegram",
    accountId: "default",
    peer: { id: o.chatKind === "dm" ? o.senderId : "-100" },
    chatKind: o.chatKind,
    ...(o.chatKind === "group" ? { chatId: "-100" } : {}),
    sender: { id: o.senderId },
    text: "/status",
    mentionsBot: false,
    timestamp: 0,
    platformMessageId: "1",
  };
}

describe("resolveCommandAccess", () => {
  it("lets an admitted DM sender run every command", () => {
    expect(resolveCommandAccess(message({ chatKind: "dm", senderId: "5" }), {}, {})).toBe("all");
  });

  it("in a group, needs the sender in the group's sender list, not just an open group", () => {
    const open = { groupPolicy: "open" };
    expect(resolveCommandAccess(message({ chatKind: "group", senderId: "5" }), open, {})).toBe("denied");
    const listed = { groupPolicy: "open", groupAllowFrom: ["telegram:5"] };
    expect(resolveCommandAccess(message({ chatKind: "group", senderId: "5" }), listed, {})).toBe("all");
    expect(resolveCommandAccess(message({ chatKind: "group", senderId: "6" }), listed, {})).toBe("denied");
    const perGroup = { groups: { "-100": { allowFrom: ["*"] } } };
    expect(resolveCommandAccess(message({ chatKind: "group", senderId: "6" }), perGroup, {})).toBe("all");
  });

  it("makes commands.allowFrom the only rule when it names the channel or '*'", () => {
    const commands = { allowFrom: { telegram: [7], "*": [" 8 "] } };
    expect(resolveCommandAccess(message({ chatKind: "dm", senderId: "5" }), {}, commands)).toBe("denied");
    expect(resolveCommandAccess(message({ chatKind: "group", senderId: "7" }), {}, commands)).toBe("all");
    expect(
      resolveCommandAccess(message({ chatKind: "dm", senderId: "8", channel: "slack" }), {}, commands),
    ).toBe("all");
    expect(
      resolveCommandAccess(
        message({ chatKind: "dm", senderId: "8", channel: "discord" }),
        {},
        {
          allowFrom: { discord: ["user:8"] },
        },
      ),
    ).toBe("all");
  });

  it("leaves non-owners a fresh session only when commands.ownerAllowFrom is set", () => {
    const commands = { ownerAllowFrom: ["telegram:1"] };
    expect(resolveCommandAccess(message({ chatKind: "dm", senderId: "1" }), {}, commands)).toBe("all");
    expect(resolveCommandAccess(message({ chatKind: "dm", senderId: "2" }), {}, commands)).toBe("reset-only");
    expect(
      resolveCommandAccess(message({ chatKind: "dm", senderId: "1", channel: "discord" }), {}, commands),
    ).toBe("reset-only");
  });
});
