import { type InboundMedia, InboundMessageSchema, MediaTooLargeError } from "@openclaw/plugin-sdk";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountProbe, configFor, startProbe } from "./account-probe.test-support.js";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { TelegramFileTooBigError } from "./telegram-file-download.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

const alice = { id: 42, first_name: "Alice", username: "alice" };
const dm = { id: 42, type: "private" as const };
const team = { id: -100200, type: "supergroup" as const, title: "Team" };
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==",
  "base64",
);
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text));
const download = (media: InboundMedia | undefined, maxBytes = 1024 * 1024) => {
  if (media === undefined) throw new Error("no media item");
  return media.download({ maxBytes, signal: AbortSignal.timeout(15_000) });
};

let fake: FakeTelegramServer;
let plugin: ReturnType<typeof createTelegramPlugin>;
const handles: TelegramAccountHandle[] = [];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  plugin = createTelegramPlugin();
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

async function started() {
  const probe = accountProbe(configFor(fake));
  await startProbe(plugin, probe, handles);
  return probe;
}

describe("inbound media", () => {
  it("a captioned photo in a group: the caption is the text, its mention counts, the largest size downloads", async () => {
    const probe = await started();
    const arrived = probe.nextInbound();
    const caption = fake.mentionText("what is this?");
    fake.sendMediaMessage({
      chat: team,
      from: alice,
      kind: "photo",
      bytes: PNG,
      thumbnailBytes: bytesOf("small rendition"),
      width: 1280,
      height: 960,
      caption: caption.text,
      captionEntities: caption.entities,
    });
    const inbound = InboundMessageSchema.parse(await arrived);
    expect(inbound).toMatchObject({ chatKind: "group", text: caption.text, mentionsBot: true });
    expect(inbound.media).toEqual([
      {
        kind: "image",
        mimeType: "image/jpeg",
        sizeBytes: PNG.byteLength,
        platformFileId: expect.stringMatching(/^AgAC/),
        download: expect.any(Function),
      },
    ]);
    // Nothing is fetched until the gateway asks.
    expect(fake.downloads).toEqual([]);
    expect(Buffer.from(await download(inbound.media?.[0]))).toEqual(PNG);
    expect(fake.downloads).toHaveLength(1);
  });

  it("voice notes, audio, video, video notes, stickers, documents and animations, each as one item", async () => {
    const probe = await started();
    const cases = [
      {
        kind: "voice",
        fileName: undefined,
        expected: { kind: "voice", mimeType: "audio/ogg", durationSec: 5 },
      },
      {
        kind: "audio",
        fileName: "song.mp3",
        expected: { kind: "audio", mimeType: "audio/mpeg", fileName: "song.mp3" },
      },
      {
        kind: "video",
        fileName: "clip.mp4",
        expected: { kind: "video", mimeType: "video/mp4", fileName: "clip.mp4" },
      },
      {
        kind: "video_note",
        fileName: undefined,
        expected: { kind: "video", mimeType: "video/mp4", durationSec: 5 },
      },
      { kind: "sticker", fileName: undefined, expected: { kind: "sticker", mimeType: "image/webp" } },
      {
        kind: "document",
        fileName: "notes.md",
        expected: { kind: "document", mimeType: "text/markdown", fileName: "notes.md" },
      },
      {
        kind: "animation",
        fileName: "dance.mp4",
        expected: { kind: "video", mimeType: "video/mp4", fileName: "dance.mp4" },
      },
    ] as const;
    for (const { kind, fileName, expected } of cases) {
      const arrived = probe.nextInbound();
      const bytes = bytesOf(`${kind} bytes`);
      fake.sendMediaMessage({
        chat: dm,
        from: alice,
        kind,
        bytes,
        durationSec: 5,
        ...(fileName === undefined ? {} : { fileName }),
      });
      const inbound = await arrived;
      expect(inbound.text).toBe("");
      expect(inbound.media, kind).toHaveLength(1);
      expect(inbound.media?.[0], kind).toMatchObject({ ...expected, sizeBytes: bytes.byteLength });
      expect(Buffer.from(await download(inbound.media?.[0])).toString(), kind).toBe(`${kind} bytes`);
    }
  });

  it("hands over an album (one message per photo, one media_group_id) as one message with every item", async () => {
    const probe = await started();
    const arrived = probe.nextInbound();
    const album = { chat: dm, from: alice, kind: "photo" as const, mediaGroupId: "13579" };
    fake.sendMediaMessage({ ...album, bytes: PNG, caption: "our trip" });
    fake.sendMediaMessage({ ...album, bytes: bytesOf("second") });
    fake.sendMediaMessage({ ...album, bytes: bytesOf("third") });
    const inbound = InboundMessageSchema.parse(await arrived);
    expect(inbound.text).toBe("our trip");
    expect(inbound.media?.map((item) => item.kind)).toEqual(["image", "image", "image"]);
    expect(Buffer.from(await download(inbound.media?.[2])).toString()).toBe("third");
    const next = probe.nextInbound();
    fake.sendMessage({ chat: dm, from: alice, text: "after the album" });
    expect((await next).text).toBe("after the album");
    expect(probe.inbound).toHaveLength(2);
  });

  it("refuses before any request when the declared size is over maxBytes or over the Bot API's 20 MB", async () => {
    const probe = await started();
    let arrived = probe.nextInbound();
    fake.sendMediaMessage({
      chat: dm,
      from: alice,
      kind: "document",
      bytes: bytesOf("x".repeat(2000)),
      fileName: "a.txt",
    });
    const over = await download((await arrived).media?.[0], 1000).catch((error: unknown) => error);
    expect(over).toBeInstanceOf(MediaTooLargeError);
    expect(over).toMatchObject({ code: "MEDIA_TOO_LARGE", maxBytes: 1000, sizeBytes: 2000 });

    arrived = probe.nextInbound();
    fake.sendMediaMessage({
      chat: dm,
      from: alice,
      kind: "video",
      bytes: bytesOf("pretend this is big"),
      declaredSizeBytes: 30 * 1024 * 1024,
    });
    const huge = await download((await arrived).media?.[0], 100 * 1024 * 1024).catch(
      (error: unknown) => error,
    );
    expect(huge).toBeInstanceOf(TelegramFileTooBigError);
    expect(huge).toBeInstanceOf(MediaTooLargeError);
    expect((huge as Error).message).toMatch(/up to 20 MB .*31457280 bytes.*self-hosted Bot API server/);
    expect(fake.calls.filter((call) => call.method === "getFile")).toEqual([]);
    expect(fake.downloads).toEqual([]);
  });

  it("stops reading once more bytes arrive than the size Telegram declared allowed", async () => {
    const probe = await started();
    const arrived = probe.nextInbound();
    // The message under-declares its size; the cap while reading still holds.
    fake.sendMediaMessage({
      chat: dm,
      from: alice,
      kind: "document",
      bytes: new Uint8Array(5000),
      fileName: "lying.bin",
      declaredSizeBytes: 10,
    });
    const error = await download((await arrived).media?.[0], 1000).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(MediaTooLargeError);
  });

  it("never puts the bot token into an error or a log line when the Bot API is unreachable", async () => {
    const probe = await started();
    const arrived = probe.nextInbound();
    fake.sendMediaMessage({ chat: dm, from: alice, kind: "voice", bytes: bytesOf("OggS") });
    const media = (await arrived).media?.[0];
    await fake.close();
    const error = await download(media).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Error);
    const everything = JSON.stringify({
      message: (error as Error).message,
      cause: String((error as Error).cause),
      logs: probe.logs,
    });
    expect(everything).not.toContain(fake.token);
    expect(everything).not.toContain(fake.token.split(":")[1]);
  });
});
