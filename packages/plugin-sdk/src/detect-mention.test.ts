import { describe, expect, it } from "vitest";
import { detectMention } from "./detect-mention.js";

describe("detectMention", () => {
  it.each([
    ["@openclaw_bot hello", true],
    ["hello @OpenClaw_Bot", true],
    ["(@openclaw_bot) what now?", true],
    ["ping @openclaw_bot, please", true],
    ["ping @openclaw_bot.", true],
    ["line one\n@openclaw_bot", true],
    ["openclaw_bot without the at sign", false],
    ["@openclaw_bot_old is another bot", false],
    ["@openclaw_botx", false],
    ["mail ops@openclaw_bot today", false],
    ["@@openclaw_bot", false],
    ["", false],
  ])("%j mentions @openclaw_bot: %s", (text, expected) => {
    expect(detectMention(text, { botUsername: "openclaw_bot" })).toBe(expected);
  });

  it("accepts the username with its leading @ and escapes regex characters", () => {
    expect(detectMention("hi @openclaw_bot", { botUsername: "@openclaw_bot" })).toBe(true);
    expect(detectMention("hi @aXb", { botUsername: "a.b" })).toBe(false);
    expect(detectMention("hi @a.b", { botUsername: "a.b" })).toBe(true);
  });

  it("is false without a username or id to look for", () => {
    expect(detectMention("@openclaw_bot", {})).toBe(false);
    expect(detectMention("@openclaw_bot", { botUsername: "" })).toBe(false);
  });

  it("uses Telegram mention entities by their UTF-16 span", () => {
    const text = "😀 @OpenClaw_Bot look";
    const entities = [{ type: "mention", offset: 3, length: 13 }];

    expect(detectMention(text, { botUsername: "openclaw_bot", entities })).toBe(true);
    expect(
      detectMention("@someone_else hi", {
        botUsername: "openclaw_bot",
        entities: [{ type: "mention", offset: 0, length: 13 }],
      }),
    ).toBe(false);
  });

  it("uses text_mention entities by the user's id", () => {
    const entities = [{ type: "text_mention", offset: 0, length: 4, user: { id: 777 } }];

    expect(detectMention("Claw, hi", { botId: 777, entities })).toBe(true);
    expect(detectMention("Claw, hi", { botId: "777", entities })).toBe(true);
    expect(detectMention("Claw, hi", { botId: 778, entities })).toBe(false);
  });

  it("ignores malformed entities", () => {
    const entities = [
      null,
      "mention",
      { type: "mention" },
      { type: "text_mention" },
      { type: "bold", offset: 0 },
    ];

    expect(detectMention("hello", { botUsername: "openclaw_bot", botId: 1, entities })).toBe(false);
  });

  it("recognises <@id> and <@!id> markup", () => {
    expect(detectMention("<@U0BOT> deploy", { botId: "U0BOT" })).toBe(true);
    expect(detectMention("hey <@!1234>", { botId: 1234 })).toBe(true);
    expect(detectMention("hey <@12345>", { botId: 1234 })).toBe(false);
  });
});
