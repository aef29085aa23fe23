import { describe, expect, it } from "vitest";
import { oggOpusVoice, pdfWithPages, tinyPng } from "./__fixtures__/media-bytes.js";
import { sniffMedia } from "./sniff-media.js";

const text = (value: string) => new TextEncoder().encode(value);

describe("sniffMedia", () => {
  it("recognises formats by their bytes, whatever the name or claimed type says", async () => {
    expect(await sniffMedia(tinyPng(), { fileName: "notes.txt", mimeType: "text/plain" })).toEqual({
      mimeType: "image/png",
      extension: "png",
      kind: "image",
    });
    expect(await sniffMedia(await pdfWithPages(["hello"]), { fileName: "photo.jpg" })).toEqual({
      mimeType: "application/pdf",
      extension: "pdf",
      kind: "document",
    });
    expect(await sniffMedia(text("just words"), { fileName: "cat.png", mimeType: "image/png" })).toEqual({
      mimeType: "text/plain",
      extension: "txt",
      kind: "document",
    });
  });

  it("takes the platform's kind to tell a voice note from audio and a sticker from a photo", async () => {
    const voice = await sniffMedia(oggOpusVoice(), { kind: "voice" });
    expect(voice.kind).toBe("voice");
    expect(voice.mimeType).toMatch(/^audio\/(ogg|opus)$/);
    expect((await sniffMedia(oggOpusVoice())).kind).toBe("audio");
    // A first Ogg page cut before its codec header is still Ogg audio.
    const shortOgg = new Uint8Array(Buffer.from("OggS\0\u0002\0\0\0\0\0\0\0\0voice", "binary"));
    expect(await sniffMedia(shortOgg, { kind: "voice" })).toEqual({
      mimeType: "audio/ogg",
      extension: "ogg",
      kind: "voice",
    });
    expect((await sniffMedia(tinyPng(), { kind: "sticker" })).kind).toBe("sticker");
    // A claimed kind never turns text into media.
    expect((await sniffMedia(text("not audio"), { kind: "voice" })).kind).toBe("document");
  });

  it("names a text format from the hint only once the bytes are valid UTF-8 text", async () => {
    expect((await sniffMedia(text("# Title\n"), { fileName: "README.md" })).mimeType).toBe("text/markdown");
    expect((await sniffMedia(text("a,b\n1,2\n"), { mimeType: "text/csv" })).mimeType).toBe("text/csv");
    expect((await sniffMedia(text('{"a":1}'), { fileName: "data.JSON" })).extension).toBe("json");
    expect((await sniffMedia(text("ünïcödé ✓"))).mimeType).toBe("text/plain");
  });

  it("calls anything else application/octet-stream", async () => {
    expect(await sniffMedia(new Uint8Array([0x41, 0x00, 0x42]), { fileName: "a.txt" })).toEqual({
      mimeType: "application/octet-stream",
      extension: "bin",
      kind: "document",
    });
    expect((await sniffMedia(new Uint8Array([0xff, 0xfe, 0xfd, 0x80]))).mimeType).toBe(
      "application/octet-stream",
    );
    expect((await sniffMedia(new Uint8Array())).mimeType).toBe("application/octet-stream");
  });

  it("accepts long text whose probe window ends inside a multi-byte character", async () => {
    const long = text(`${"a".repeat(64 * 1024 - 1)}é and more`);
    expect((await sniffMedia(long)).mimeType).toBe("text/plain");
  });
});
