import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createMediaStore, createTranscriber, type MediaStore } from "@openclaw/media";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mp4Video, oggVoiceNote, pdfOf, pngPixel } from "./media-fixtures.test-support.js";
import { understandMedia } from "./understand-media.js";

let root: string;
let store: MediaStore;
let fake: FakeModelServer | undefined;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "understand-media-"));
  store = createMediaStore({ rootDir: root });
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await rm(root, { recursive: true, force: true });
});

const noTranscriber = () => ({
  reason: "voice transcription is not configured; add tools.media.audio.models",
});
const text = (value: string) => new TextEncoder().encode(value);

describe("understandMedia", () => {
  it("stores an image under inbound/ and gives it only a short note (the model sees the image itself)", async () => {
    const { attachment, notice } = await understandMedia(
      pngPixel(),
      { kind: "document", fileName: "chart.png" },
      { store, transcription: noTranscriber },
    );
    expect(notice).toBeUndefined();
    expect(attachment).toMatchObject({
      kind: "image",
      mimeType: "image/png",
      fileName: "chart.png",
      text: "[Image: chart.png]",
    });
    expect(attachment?.path.startsWith(path.join(root, "inbound"))).toBe(true);
    expect(new Uint8Array(await readFile(attachment?.path ?? ""))).toEqual(pngPixel());
  });

  it("transcribes a voice note through the configured provider and keeps the transcript apart", async () => {
    fake = await startFakeModelServer({ apiKey: "sk-audio" });
    fake.transcriptions.setTranscript("call mum at six");
    const built = createTranscriber({
      media: { audio: { models: [{ provider: "openai", model: "gpt-4o-mini-transcribe" }] } },
      providers: { openai: { baseUrl: fake.baseUrlFor("openai-completions"), apiKey: "sk-audio" } },
      env: {},
    });
    const { attachment, notice } = await understandMedia(
      oggVoiceNote(),
      { kind: "voice", mimeType: "audio/ogg", durationSec: 3 },
      { store, transcription: () => built },
    );
    expect(notice).toBeUndefined();
    expect(attachment).toMatchObject({ kind: "voice", transcript: "call mum at six" });
    expect(attachment?.text).toMatch(/^\[Voice note transcript: .+\]\ncall mum at six$/);
    const [request] = fake.transcriptions.requests;
    expect(request?.model).toBe("gpt-4o-mini-transcribe");
    expect(request?.file).toEqual(oggVoiceNote());
  });

  it("tells the sender how transcription gets configured when it is not, and still stores the audio", async () => {
    const { attachment, notice } = await understandMedia(
      oggVoiceNote(),
      { kind: "voice" },
      { store, transcription: noTranscriber },
    );
    expect(notice).toContain("tools.media.audio.models");
    expect(attachment?.kind).toBe("voice");
    expect(attachment?.transcript).toBeUndefined();
    expect(attachment?.text).toContain("not transcribed");
  });

  it("reports a failed transcription by its code, without the provider's details", async () => {
    fake = await startFakeModelServer();
    fake.transcriptions.failNext(500);
    const built = createTranscriber({
      media: {
        audio: {
          models: [{ provider: "local", model: "whisper-1", baseUrl: fake.baseUrlFor("openai-completions") }],
        },
      },
      providers: {},
      env: {},
    });
    const { attachment, notice } = await understandMedia(
      oggVoiceNote(),
      { kind: "voice" },
      { store, transcription: () => built },
    );
    expect(notice).toBe(
      "Your voice note could not be transcribed (TRANSCRIPTION_HTTP_ERROR); the gateway log has the details.",
    );
    expect(attachment?.text).toContain("transcription failed");
  });

  it("hands a document's text to the model, framed and bounded, with the page count of a PDF", async () => {
    const pdf = await understandMedia(
      pdfOf(["Invoice 2041", "Total due: 310 EUR"]),
      { kind: "document", fileName: "invoice.pdf" },
      { store, transcription: noTranscriber },
    );
    expect(pdf.attachment?.kind).toBe("document");
    expect(pdf.attachment?.mimeType).toBe("application/pdf");
    expect(pdf.attachment?.text).toContain("[File: invoice.pdf (application/pdf, 2 pages)");
    expect(pdf.attachment?.text).toContain("Total due: 310 EUR");
    expect(pdf.attachment?.text?.endsWith("[End of file: invoice.pdf]")).toBe(true);

    const long = await understandMedia(
      text(`# Notes\n${"word ".repeat(100)}`),
      { fileName: "notes.md" },
      { store, transcription: noTranscriber, maxDocumentChars: 50 },
    );
    expect(long.attachment?.mimeType).toBe("text/markdown");
    expect(long.attachment?.text).toContain("the rest of the file was cut");
  });

  it("asks for a shorter recording when the audio is over the transcription limit", async () => {
    const built = createTranscriber({
      media: {
        audio: {
          maxBytes: 1000,
          models: [{ provider: "local", model: "m", baseUrl: "http://127.0.0.1:9/v1" }],
        },
      },
      providers: {},
      env: {},
    });
    const { notice } = await understandMedia(
      oggVoiceNote(),
      { kind: "voice" },
      { store, transcription: () => built },
    );
    expect(notice).toBe("Your voice note is too large to transcribe (2 KB); please send a shorter one.");
  });

  it("names the stored file for what it cannot read: a binary, a broken PDF, a video", async () => {
    const binary = await understandMedia(
      new Uint8Array([0, 1, 2, 3]),
      { fileName: "blob.bin" },
      { store, transcription: noTranscriber },
    );
    expect(binary.attachment?.text).toMatch(
      /^\[File: blob\.bin \(application\/octet-stream, 4 bytes\), stored at .+; its content is not readable as text\]$/,
    );
    const broken = await understandMedia(
      text("%PDF-1.4\nbroken"),
      { fileName: "x.pdf" },
      { store, transcription: noTranscriber },
    );
    expect(broken.attachment?.text).toContain("could not be read");
    const video = await understandMedia(
      mp4Video(),
      { kind: "video" },
      {
        store,
        transcription: noTranscriber,
      },
    );
    expect(video.attachment?.kind).toBe("video");
    expect(video.attachment?.text).toMatch(/^\[Video: .+, stored at .+\]$/);
  });

  it("answers with a notice and no attachment when the store cannot write", async () => {
    await writeFile(path.join(root, "file-in-the-way"), "x");
    const broken = createMediaStore({ rootDir: path.join(root, "file-in-the-way", "media") });
    const result = await understandMedia(
      pngPixel(),
      { fileName: "a.png" },
      { store: broken, transcription: noTranscriber },
    );
    expect(result).toEqual({ notice: '"a.png" could not be saved on the gateway, so it was not read.' });
  });
});
