import { Bot, GrammyError, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeTelegramServer, startFakeTelegramServer } from "./fake-telegram-server.js";

const ada = { id: 424242001, first_name: "Ada", username: "ada_l" };
const dm = { id: ada.id, type: "private" as const };
const forum = { id: -1009988776655, type: "supergroup" as const, title: "OpenClaw forum", is_forum: true };
// The smallest valid PNG (1x1, transparent).
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==",
  "base64",
);

let fake: FakeTelegramServer;
let bot: Bot;

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
});

afterEach(async () => {
  await fake.close();
});

const fileUrl = (path: string) => `${fake.apiRoot}/file/bot${fake.token}/${path}`;

describe("users' files: getFile and the file URL", () => {
  it("serves a voice note's bytes at the path getFile names, and records the download", async () => {
    const bytes = new Uint8Array(Buffer.from("OggS fake opus payload"));
    const { message } = fake.sendMediaMessage({ chat: dm, from: ada, kind: "voice", bytes, durationSec: 4 });
    const voice = message.voice as { file_id: string; file_size: number; duration: number };
    expect(voice).toMatchObject({ duration: 4, file_size: bytes.byteLength });

    const file = await bot.api.getFile(voice.file_id);
    expect(file).toMatchObject({ file_id: voice.file_id, file_size: bytes.byteLength });
    expect(file.file_path).toMatch(/^voice\/file_\d+\.oga$/);
    const response = await fetch(fileUrl(file.file_path ?? ""));
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(fake.downloads).toEqual([file.file_path]);
  });

  it("refuses getFile over 20 MB as Telegram does, and a file URL with the wrong token", async () => {
    const { message } = fake.sendMediaMessage({
      chat: dm,
      from: ada,
      kind: "document",
      bytes: new Uint8Array(10),
      fileName: "huge.zip",
      declaredSizeBytes: 25 * 1024 * 1024,
    });
    const document = message.document as { file_id: string; file_size: number; mime_type: string };
    expect(document).toMatchObject({ file_size: 25 * 1024 * 1024, mime_type: "application/zip" });
    const refused = await bot.api.getFile(document.file_id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GrammyError);
    expect(refused).toMatchObject({ error_code: 400, description: "Bad Request: file is too big" });

    const small = fake.sendMediaMessage({ chat: dm, from: ada, kind: "sticker", bytes: PNG });
    const sticker = small.message.sticker as { file_id: string };
    const file = await bot.api.getFile(sticker.file_id);
    const wrongToken = await fetch(`${fake.apiRoot}/file/bot123:wrong/${file.file_path}`);
    expect(wrongToken.status).toBe(401);
    expect(fake.downloads).toEqual([]);
  });
});

describe("the bot's uploads (multipart)", () => {
  it("records a photo's bytes, file name and caption, and answers with Telegram's Message", async () => {
    const sent = await bot.api.sendPhoto(forum.id, new InputFile(PNG, "chart.png"), {
      caption: "the *chart*",
      parse_mode: "MarkdownV2",
      message_thread_id: 7,
    });
    expect(sent.photo?.[0]).toMatchObject({ width: 1, height: 1, file_size: PNG.byteLength });
    expect(sent.caption).toBe("the chart");
    const [upload] = await fake.waitForSent((entry) => entry.method === "sendPhoto");
    expect(upload).toMatchObject({
      chatId: String(forum.id),
      caption: "the *chart*",
      parseMode: "MarkdownV2",
      messageThreadId: 7,
      messageId: sent.message_id,
      upload: { field: "photo", fileName: "chart.png", contentType: "application/octet-stream" },
    });
    expect(Buffer.from(upload?.upload?.bytes ?? [])).toEqual(PNG);
    // The uploaded file can be fetched back, as Telegram allows for the bot's own files.
    const file = await bot.api.getFile(sent.photo?.[0]?.file_id ?? "");
    expect(Buffer.from(await (await fetch(fileUrl(file.file_path ?? ""))).arrayBuffer())).toEqual(PNG);
  });

  it("derives a document's MIME type from its name, and sends voice, audio and video", async () => {
    const text = new InputFile(Buffer.from("# notes\n"), "notes.md");
    const document = await bot.api.sendDocument(dm.id, text, {
      reply_parameters: { message_id: 99, allow_sending_without_reply: true },
    });
    expect(document.document).toMatchObject({ file_name: "notes.md", mime_type: "text/markdown" });
    const voice = await bot.api.sendVoice(dm.id, new InputFile(Buffer.from("OggS"), "reply.ogg"));
    expect(voice.voice).toMatchObject({ mime_type: "audio/ogg" });
    const audio = await bot.api.sendAudio(dm.id, new InputFile(Buffer.from("ID3"), "song.mp3"));
    expect(audio.audio).toMatchObject({ file_name: "song.mp3", mime_type: "audio/mpeg" });
    const video = await bot.api.sendVideo(dm.id, new InputFile(Buffer.from("....ftypisom"), "clip.mp4"));
    expect(video.video).toMatchObject({ file_name: "clip.mp4", mime_type: "video/mp4" });
    expect(fake.sent.map((entry) => [entry.method, entry.upload?.mimeType, entry.replyToMessageId])).toEqual([
      ["sendDocument", "text/markdown", 99],
      ["sendVoice", "audio/ogg", undefined],
      ["sendAudio", "audio/mpeg", undefined],
      ["sendVideo", "video/mp4", undefined],
    ]);
  });

  it("re-sends a known file_id without an upload, and refuses what Telegram refuses", async () => {
    const first = await bot.api.sendPhoto(dm.id, new InputFile(PNG, "a.png"));
    const again = await bot.api.sendPhoto(dm.id, first.photo?.[0]?.file_id ?? "");
    expect(again.photo?.[0]?.file_id).toBe(first.photo?.[0]?.file_id);
    expect(fake.sent.at(-1)?.upload).toBeUndefined();

    const notImage = await bot.api
      .sendPhoto(dm.id, new InputFile(Buffer.from("plain text"), "fake.png"))
      .catch((error: unknown) => error);
    expect(notImage).toMatchObject({ error_code: 400, description: "Bad Request: IMAGE_PROCESS_FAILED" });
    const longCaption = await bot.api
      .sendDocument(dm.id, new InputFile(Buffer.from("x"), "x.txt"), { caption: "c".repeat(1025) })
      .catch((error: unknown) => error);
    expect(longCaption).toMatchObject({
      error_code: 400,
      description: "Bad Request: message caption is too long",
    });
    expect(fake.sent).toHaveLength(2);
  });
});
