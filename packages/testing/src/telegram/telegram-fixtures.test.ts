import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegramServer, startFakeTelegramServer } from "./fake-telegram-server.js";

interface FixtureUpdate {
  update_id: number;
  message: {
    message_thread_id?: number;
    from: { id: number; first_name: string };
    chat: { id: number; type: "private" | "group" | "supergroup"; title?: string; is_forum?: boolean };
    text: string;
  };
}

const loadFixture = async (name: string): Promise<FixtureUpdate> =>
  JSON.parse(await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as FixtureUpdate;

/** The keys and value types of a payload, recursively: what a client's parser depends on. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shapeOf(inner)]),
    );
  }
  return typeof value;
}

let fake: FakeTelegramServer;

beforeEach(async () => {
  fake = await startFakeTelegramServer();
});

afterEach(async () => {
  await fake.close();
});

describe("inbound updates match the recorded fixtures", () => {
  for (const name of ["private-text.update.json", "group-mention.update.json", "forum-topic.update.json"]) {
    it(name, async () => {
      const fixture = await loadFixture(name);
      const { chat, from, text, message_thread_id } = fixture.message;
      const update = fake.sendMessage({ chat, from, text, messageThreadId: message_thread_id });
      expect(shapeOf(update)).toEqual(shapeOf(fixture));
      expect(update.message.text).toBe(text);
      expect(update.message.chat).toEqual(chat.type === "private" ? fixture.message.chat : chat);
    });
  }

  it("the group fixture's mention entity is what mentionText and Telegram's own detection produce", async () => {
    const fixture = await loadFixture("group-mention.update.json");
    const { chat, from, text } = fixture.message;
    const mentioned = fake.mentionText("what is on the agenda?");
    expect(mentioned.text).toBe(text);
    const explicit = fake.sendMessage({ chat, from, ...mentioned });
    const detected = fake.sendMessage({ chat, from, text });
    expect(explicit.message.entities).toEqual(detected.message.entities);
    expect(detected.message.entities).toEqual([{ offset: 0, length: 18, type: "mention" }]);
  });

  it("a bot message in a forum topic has the fixture's shape too", async () => {
    const fixture = await loadFixture("forum-topic.update.json");
    const { chat, from } = fixture.message;
    fake.sendMessage({ chat, from, text: "hello", messageThreadId: 77 });
    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chat.id, message_thread_id: 77, text: "/status please" }),
    });
    const { result } = (await response.json()) as { result: unknown };
    expect(shapeOf(result)).toEqual(shapeOf(fixture.message));
  });

  it("a reply to the bot's own message carries that message as reply_to_message", async () => {
    const { chat, from } = (await loadFixture("private-text.update.json")).message;
    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chat.id, text: "from the bot" }),
    });
    const { result } = (await response.json()) as { result: { message_id: number } };
    const reply = fake.sendMessage({
      chat,
      from,
      text: "answering",
      replyTo: { message_id: result.message_id },
    });
    expect(reply.message.reply_to_message).toMatchObject({
      message_id: result.message_id,
      from: { id: fake.bot.id, is_bot: true },
      text: "from the bot",
    });
  });
});
