import { InboundMessageSchema, MediaTooLargeError, type OutboundMedia } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { accountContext, alice, botJid, team, useWhatsAppHarness } from "./whatsapp-test-harness.js";

// Inbound files are fetched from the fake's loopback CDN, which encrypts them as WhatsApp clients do (written from
// the spec, not with Baileys): the adapter's download derives the keys with Baileys' getMediaKeys, checks the MAC
// and decrypts, so these tests prove the whole path a real file takes.
const h = useWhatsAppHarness();

const bytes = (text: string) => new TextEncoder().encode(text);
const unlimited = () => ({ maxBytes: 10_000_000, signal: new AbortController().signal });

describe("whatsapp inbound media", () => {
  it("describes a captioned photo and downloads it decrypted only when asked", async () => {
    const { probe, socket } = await h.linked();
    const photo = bytes("\u00ff\u00d8 pretend jpeg bytes, long enough to span several AES blocks ......");
    const arrived = probe.nextInbound();
    const message = await socket.receiveMedia({
      from: alice,
      kind: "image",
      data: photo,
      caption: "what is this?",
    });
    const inbound = await arrived;
    expect(InboundMessageSchema.parse(inbound)).toEqual(inbound);
    expect(inbound).toMatchObject({
      text: "what is this?",
      platformMessageId: message.key.id,
      mentionsBot: false,
    });
    expect(inbound.media).toEqual([
      {
        kind: "image",
        mimeType: "image/jpeg",
        sizeBytes: photo.byteLength,
        platformFileId: Buffer.from(message.message?.imageMessage?.fileSha256 ?? []).toString("base64"),
        download: expect.any(Function),
      },
    ]);
    expect(socket.mediaCdn.requests).toEqual([]);
    const downloaded = await inbound.media?.[0]?.download(unlimited());
    expect(Buffer.from(downloaded ?? [])).toEqual(Buffer.from(photo));
    expect(socket.mediaCdn.requests).toHaveLength(1);
  });

  it("tells voice notes from audio files and reads video, documents (with and without caption) and stickers", async () => {
    const { probe, socket } = await h.linked();
    const cases = [
      {
        options: { kind: "voice", seconds: 3 },
        expected: { kind: "voice", mimeType: "audio/ogg; codecs=opus", durationSec: 3 },
      },
      {
        options: { kind: "audio", mimetype: "audio/mpeg", seconds: 200 },
        expected: { kind: "audio", mimeType: "audio/mpeg", durationSec: 200 },
      },
      {
        options: { kind: "video", caption: "clip", seconds: 7 },
        expected: { kind: "video", mimeType: "video/mp4", durationSec: 7 },
        text: "clip",
      },
      {
        options: { kind: "document", fileName: "notes.md", mimetype: "text/markdown" },
        expected: { kind: "document", fileName: "notes.md", mimeType: "text/markdown" },
      },
      {
        options: { kind: "document", fileName: "report.pdf", caption: "please summarise" },
        expected: { kind: "document", fileName: "report.pdf", mimeType: "application/pdf" },
        text: "please summarise",
      },
      { options: { kind: "sticker" }, expected: { kind: "sticker", mimeType: "image/webp" } },
    ] as const;
    for (const [index, c] of cases.entries()) {
      const data = bytes(`file number ${index} `.repeat(index + 1));
      const arrived = probe.nextInbound();
      await socket.receiveMedia({ from: alice, data, ...c.options });
      const inbound = await arrived;
      expect(inbound.text).toBe("text" in c ? c.text : "");
      expect(inbound.media).toHaveLength(1);
      expect(inbound.media?.[0]).toMatchObject({ ...c.expected, sizeBytes: data.byteLength });
      const downloaded = await inbound.media?.[0]?.download(unlimited());
      expect(Buffer.from(downloaded ?? [])).toEqual(Buffer.from(data));
    }
  });

  it("detects a mention of the bot in a group caption", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    await socket.receiveMedia({
      from: alice,
      group: team,
      kind: "image",
      data: bytes("img"),
      caption: "@bot look",
      mentions: [botJid],
    });
    expect(await arrived).toMatchObject({ chatKind: "group", text: "@bot look", mentionsBot: true });
  });

  it("refuses a file whose declared size is over the limit without fetching it", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    await socket.receiveMedia({
      from: alice,
      kind: "document",
      data: bytes("small really"),
      declaredSize: 80_000_000,
    });
    const media = (await arrived).media?.[0];
    const refused = media?.download({ maxBytes: 1_000_000, signal: new AbortController().signal });
    await expect(refused).rejects.toBeInstanceOf(MediaTooLargeError);
    await expect(refused).rejects.toMatchObject({ code: "MEDIA_TOO_LARGE", sizeBytes: 80_000_000 });
    expect(socket.mediaCdn.requests).toEqual([]);
  });

  it("stops reading a file that turns out larger than it claimed, with or without content-length", async () => {
    const { probe, socket } = await h.linked();
    const data = new Uint8Array(200_000).fill(7);
    for (const sendContentLength of [true, false]) {
      socket.mediaCdn.sendContentLength = sendContentLength;
      const arrived = probe.nextInbound();
      await socket.receiveMedia({ from: alice, kind: "video", data, declaredSize: 1_000 });
      const media = (await arrived).media?.[0];
      await expect(
        media?.download({ maxBytes: 50_000, signal: new AbortController().signal }),
      ).rejects.toMatchObject({
        code: "MEDIA_TOO_LARGE",
        maxBytes: 50_000,
      });
    }
    expect(socket.mediaCdn.requests).toHaveLength(2);
  });

  it("refuses a file that does not match the message's key (MAC check)", async () => {
    const { probe, socket } = await h.linked();
    const first = probe.nextInbound();
    const genuine = await socket.receiveMedia({ from: alice, kind: "image", data: bytes("genuine") });
    await first;
    const image = genuine.message?.imageMessage;
    const second = probe.nextInbound();
    socket.receive({
      key: { remoteJid: alice, fromMe: false, id: "3EB0FORGED" },
      message: { imageMessage: { ...image, mediaKey: new Uint8Array(32).fill(1) } },
    });
    await expect((await second).media?.[0]?.download(unlimited())).rejects.toMatchObject({
      code: "WHATSAPP_MEDIA_CORRUPT",
    });
  });

  it("gives up a download when the gateway aborts it", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    await socket.receiveMedia({ from: alice, kind: "image", data: bytes("x") });
    const controller = new AbortController();
    controller.abort(new Error("turn cancelled"));
    await expect(
      (await arrived).media?.[0]?.download({ maxBytes: 100, signal: controller.signal }),
    ).rejects.toThrow("turn cancelled");
  });

  it("reports a file the CDN no longer has as a failed download", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    const message = await socket.receiveMedia({ from: alice, kind: "image", data: bytes("gone") });
    socket.mediaCdn.expire(String(message.message?.imageMessage?.url));
    await expect((await arrived).media?.[0]?.download(unlimited())).rejects.toMatchObject({
      code: "WHATSAPP_MEDIA_UNAVAILABLE",
      message: expect.stringContaining("answered 404"),
    });
  });

  it("passes text starting with a slash through unchanged (WhatsApp has no native commands)", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    socket.receiveText({ from: alice, text: "/model gpt-5" });
    const inbound = await arrived;
    expect(inbound.text).toBe("/model gpt-5");
    expect(inbound.nativeCommand).toBeUndefined();
    expect(h.plugin.capabilities.nativeCommands).toBeUndefined();
  });
});

describe("whatsapp outbound media", () => {
  it("sends photos, videos, documents and voice notes as Baileys payloads with the bytes", async () => {
    const { socket } = await h.linked();
    const data = bytes("payload");
    const send = (media: OutboundMedia, caption?: string) =>
      h.plugin.sendMedia?.({
        accountId: "default",
        to: "15551234567",
        media,
        ...(caption ? { caption } : {}),
      });
    const photo = await send({ data, mimeType: "image/png", kind: "image" }, "a chart");
    await send({ data, mimeType: "video/mp4" });
    await send({ data, mimeType: "application/pdf", fileName: "report.pdf" }, "the report");
    await send({ data, mimeType: "audio/ogg; codecs=opus", kind: "voice" }, "said aloud");
    await send({ data, mimeType: "audio/mpeg", kind: "voice" });
    expect(socket.sentMedia).toEqual([
      {
        jid: alice,
        kind: "image",
        data,
        mimetype: "image/png",
        caption: "a chart",
        messageId: photo?.messageId,
      },
      { jid: alice, kind: "video", data, mimetype: "video/mp4", messageId: expect.any(String) },
      {
        jid: alice,
        kind: "document",
        data,
        mimetype: "application/pdf",
        fileName: "report.pdf",
        caption: "the report",
        messageId: expect.any(String),
      },
      {
        jid: alice,
        kind: "audio",
        data,
        mimetype: "audio/ogg; codecs=opus",
        ptt: true,
        messageId: expect.any(String),
      },
      // Not Ogg/Opus: WhatsApp could not play it as a voice note, so it goes as an audio file.
      { jid: alice, kind: "audio", data, mimetype: "audio/mpeg", messageId: expect.any(String) },
    ]);
    // A voice note shows no caption, so the caption follows as text.
    expect(socket.sent.map((sent) => sent.text)).toEqual(["said aloud"]);
  });

  it("quotes replyTo and refuses URLs and files over mediaMaxMb, naming the fix", async () => {
    const { probe, socket } = await h.linked({ mediaMaxMb: 0.001 });
    const arrived = probe.nextInbound();
    const question = socket.receiveText({ from: alice, text: "send the logo" });
    await arrived;
    await h.plugin.sendMedia?.({
      accountId: "default",
      to: "15551234567",
      media: { data: bytes("png"), mimeType: "image/png" },
      replyTo: question.key.id ?? "",
    });
    expect(socket.sentMedia[0]?.quotedId).toBe(question.key.id);
    await expect(
      h.plugin.sendMedia?.({
        accountId: "default",
        to: "15551234567",
        media: { data: new Uint8Array(2_000), mimeType: "image/png" },
      }),
    ).rejects.toMatchObject({
      code: "WHATSAPP_MEDIA_TOO_LARGE",
      message: expect.stringContaining("mediaMaxMb"),
    });
    await expect(
      h.plugin.sendMedia?.({
        accountId: "default",
        to: "15551234567",
        media: { url: "https://example.test/a.png", mimeType: "image/png" },
      }),
    ).rejects.toMatchObject({ code: "WHATSAPP_MEDIA_INVALID" });
    expect(socket.sentMedia).toHaveLength(1);
  });

  it("declares media and reactions, no edits, and OpenClaw's 50 MB default as the upload limit", () => {
    expect(h.plugin.capabilities).toMatchObject({
      media: true,
      reactions: true,
      edits: false,
      maxMediaBytes: 50 * 1024 * 1024,
    });
    expect(accountContext(h.configFor()).context.config.mediaMaxMb).toBeUndefined();
  });
});
