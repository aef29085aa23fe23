import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountProbe, configFor, startProbe } from "./account-probe.test-support.js";
import type { TelegramAccountHandle } from "./telegram-account.js";
import { createTelegramPlugin } from "./telegram-plugin.js";

const PNG = new Uint8Array(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==",
    "base64",
  ),
);
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text));

let fake: FakeTelegramServer;
let plugin: ReturnType<typeof createTelegramPlugin>;
const handles: TelegramAccountHandle[] = [];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  plugin = createTelegramPlugin();
  await startProbe(plugin, accountProbe(configFor(fake)), handles);
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake.close();
});

describe("sendMedia", () => {
  it("declares media, edits, reactions and native commands, with Telegram's 50 MB upload limit", () => {
    expect(plugin.capabilities).toMatchObject({
      media: true,
      edits: true,
      reactions: true,
      nativeCommands: true,
      maxMediaBytes: 50 * 1024 * 1024,
    });
  });

  it("uploads a photo's bytes with its caption, into a topic and as a reply", async () => {
    const sent = await plugin.sendMedia?.({
      accountId: "default",
      to: "-100300",
      media: { data: PNG, mimeType: "image/png", fileName: "chart.png", kind: "image" },
      caption: "The **chart**",
      threadId: "77",
      replyTo: "5",
    });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      method: "sendPhoto",
      chatId: "-100300",
      caption: "The *chart*",
      parseMode: "MarkdownV2",
      messageThreadId: 77,
      replyToMessageId: 5,
      messageId: Number(sent?.messageId),
      upload: { field: "photo", fileName: "chart.png" },
    });
    expect(fake.sent[0]?.upload?.bytes).toEqual(PNG);
  });

  it("picks the method by kind, else by MIME type", async () => {
    const send = (media: Parameters<NonNullable<typeof plugin.sendMedia>>[0]["media"]) =>
      plugin.sendMedia?.({ accountId: "default", to: "42", media });
    await send({ data: bytesOf("OggS"), mimeType: "audio/ogg", kind: "voice" });
    await send({ data: bytesOf("ID3"), mimeType: "audio/mpeg", fileName: "song.mp3" });
    await send({ data: bytesOf("....ftyp"), mimeType: "video/mp4" });
    await send({ data: bytesOf("%PDF-1.4"), mimeType: "application/pdf", fileName: "report.pdf" });
    await send({ data: bytesOf("OggS"), mimeType: "audio/ogg" });
    await send({ data: PNG, mimeType: "image/png" });
    expect(fake.sent.map((entry) => [entry.method, entry.upload?.fileName])).toEqual([
      ["sendVoice", "voice.ogg"],
      ["sendAudio", "song.mp3"],
      ["sendVideo", "video.mp4"],
      ["sendDocument", "report.pdf"],
      ["sendVoice", "voice.ogg"],
      ["sendPhoto", "photo.png"],
    ]);
  });

  it("sends a caption over 1024 characters as a text message after the file", async () => {
    const caption = `${"long caption ".repeat(100).trim()}.`;
    await plugin.sendMedia?.({
      accountId: "default",
      to: "42",
      media: { data: bytesOf("a,b\n1,2\n"), mimeType: "text/csv", fileName: "data.csv" },
      caption,
    });
    expect(fake.sent.map((entry) => entry.method)).toEqual(["sendDocument", "sendMessage"]);
    expect(fake.sent[0]?.caption).toBeUndefined();
    expect(fake.sent[1]?.text?.replaceAll("\\", "")).toBe(caption);
  });

  it("falls back to a document when Telegram cannot process the image as a photo", async () => {
    await plugin.sendMedia?.({
      accountId: "default",
      to: "42",
      media: {
        data: bytesOf("not really an image"),
        mimeType: "image/png",
        fileName: "broken.png",
        kind: "image",
      },
      caption: "here",
    });
    expect(fake.calls.map((call) => call.method).filter((method) => method.startsWith("send"))).toEqual([
      "sendPhoto",
      "sendDocument",
    ]);
    expect(fake.sent).toMatchObject([
      { method: "sendDocument", caption: "here", upload: { fileName: "broken.png" } },
    ]);
  });

  it("refuses a file over 50 MB without uploading it", async () => {
    const error = await plugin
      .sendMedia?.({
        accountId: "default",
        to: "42",
        media: { data: new Uint8Array(50 * 1024 * 1024 + 1), mimeType: "video/mp4" },
      })
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: "TELEGRAM_MEDIA_TOO_LARGE" });
    expect((error as Error).message).toMatch(/at most 50 MB/);
    expect(fake.calls.filter((call) => call.method === "sendVideo")).toEqual([]);
  });
});
