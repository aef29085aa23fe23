import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeTelegramChat,
  type FakeTelegramServer,
  type FakeTelegramUser,
  startFakeTelegramServer,
} from "./fake-telegram-server.js";

interface Fixture {
  update_id: number;
  message?: { from: FakeTelegramUser; chat: FakeTelegramChat; caption?: string; caption_entities?: unknown };
  message_reaction?: { user: FakeTelegramUser; chat: FakeTelegramChat; message_id: number };
}

const loadFixture = async (name: string): Promise<Fixture> =>
  JSON.parse(await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as Fixture;

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

// A 1280x960 PNG header is enough for the fake to read the photo's size.
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write("IHDR", 12, "latin1");
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

let fake: FakeTelegramServer;

beforeEach(async () => {
  fake = await startFakeTelegramServer();
});

afterEach(async () => {
  await fake.close();
});

describe("inbound media and reaction updates match the recorded fixtures", () => {
  it("a photo with a captioned mention: sizes smallest first, caption entities", async () => {
    const fixture = await loadFixture("photo-caption.update.json");
    const { chat, from, caption } = fixture.message ?? ({} as never);
    const update = fake.sendMediaMessage({
      chat,
      from,
      kind: "photo",
      bytes: pngHeader(1280, 960),
      thumbnailBytes: pngHeader(90, 68),
      caption,
    });
    expect(shapeOf(update)).toEqual(shapeOf(fixture));
    expect(update.message.photo).toMatchObject([
      { width: 90, height: 68 },
      { width: 1280, height: 960 },
    ]);
    expect(update.message.caption_entities).toEqual(fixture.message?.caption_entities);
  });

  it("a voice note", async () => {
    const fixture = await loadFixture("voice.update.json");
    const { chat, from } = fixture.message ?? ({} as never);
    const update = fake.sendMediaMessage({
      chat,
      from,
      kind: "voice",
      bytes: new Uint8Array(8342),
      durationSec: 2,
    });
    expect(shapeOf(update)).toEqual(shapeOf(fixture));
    expect(update.message.voice).toMatchObject({ duration: 2, mime_type: "audio/ogg", file_size: 8342 });
  });

  it("a document in a group, with its name and MIME type", async () => {
    const fixture = await loadFixture("document.update.json");
    const { chat, from, caption } = fixture.message ?? ({} as never);
    const update = fake.sendMediaMessage({
      chat,
      from,
      kind: "document",
      bytes: new Uint8Array(100),
      fileName: "agenda.pdf",
      caption,
    });
    expect(shapeOf(update)).toEqual(shapeOf(fixture));
    expect(update.message.document).toMatchObject({ file_name: "agenda.pdf", mime_type: "application/pdf" });
  });

  it("a message_reaction update carries the user's old and new reactions", async () => {
    const fixture = await loadFixture("message-reaction.update.json");
    const { chat, user: from, message_id } = fixture.message_reaction ?? ({} as never);
    fake.sendReaction({ chat, from, messageId: message_id, reaction: ["👀"] });
    const update = fake.sendReaction({ chat, from, messageId: message_id, reaction: ["👍"] });
    expect(shapeOf(update)).toEqual(shapeOf(fixture));
    expect(update.message_reaction).toMatchObject({
      old_reaction: [{ type: "emoji", emoji: "👀" }],
      new_reaction: [{ type: "emoji", emoji: "👍" }],
    });
  });
});
