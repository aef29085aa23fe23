import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oggOpusVoice } from "./__fixtures__/media-bytes.js";
import { createTranscriber } from "./transcriber.js";

let fake: FakeModelServer;
beforeEach(async () => {
  fake = await startFakeModelServer({ apiKey: "sk-audio" });
});
afterEach(async () => {
  await fake.close();
});

const voice = oggOpusVoice();

describe("createTranscriber", () => {
  it("posts the audio as OpenAI multipart to the entry's provider and returns the transcript", async () => {
    fake.transcriptions.setTranscript("  remind me to buy milk  ");
    const { transcriber, reason } = createTranscriber({
      media: {
        audio: {
          models: [{ provider: "openai", model: "gpt-4o-transcribe", language: "en", prompt: "Milk" }],
        },
      },
      providers: { openai: { baseUrl: fake.baseUrlFor("openai-completions"), apiKey: "sk-audio" } },
      env: {},
    });
    expect(reason).toBeUndefined();
    const result = await transcriber?.transcribe(voice, {
      mimeType: "audio/ogg",
      fileName: "voice-note.oga",
    });
    expect(result).toEqual({ text: "remind me to buy milk", provider: "openai", model: "gpt-4o-transcribe" });
    const [request] = fake.transcriptions.requests;
    expect(request).toMatchObject({
      model: "gpt-4o-transcribe",
      fileName: "voice-note.ogg",
      fileType: "audio/ogg",
      language: "en",
      prompt: "Milk",
      authorization: "Bearer sk-audio",
    });
    expect(request?.file).toEqual(voice);
  });

  it("reads tools.media.models entries tagged audio, a key from an environment reference and trims to maxChars", async () => {
    const { transcriber } = createTranscriber({
      media: {
        models: [
          { provider: "openai", model: "vision-only", capabilities: ["image"] },
          {
            provider: "local",
            model: "whisper-1",
            baseUrl: fake.baseUrlFor("openai-completions"),
            capabilities: ["audio"],
          },
        ],
        audio: { maxChars: 5 },
      },
      providers: { local: { apiKey: ["$", "{AUDIO_KEY}"].join("") } },
      env: { AUDIO_KEY: "sk-audio" },
    });
    expect(await transcriber?.transcribe(voice, { mimeType: "audio/ogg" })).toEqual({
      text: "Trans",
      provider: "local",
      model: "whisper-1",
    });
    expect(fake.transcriptions.requests[0]?.fileName).toBe("audio.ogg");
  });

  it("finds a provider with a key when no model is configured (OpenClaw's auto-detect)", async () => {
    const { transcriber } = createTranscriber({
      media: undefined,
      providers: { openai: { baseUrl: fake.baseUrlFor("openai-completions") } },
      env: { OPENAI_API_KEY: "sk-audio" },
    });
    expect((await transcriber?.transcribe(voice, { mimeType: "audio/ogg" }))?.model).toBe(
      "gpt-4o-transcribe",
    );
  });

  it("falls over to the next entry when one fails, and names the config key when all fail", async () => {
    const entries = [
      { provider: "first", model: "m1", baseUrl: fake.baseUrlFor("openai-completions"), apiKey: "sk-wrong" },
      { provider: "second", model: "m2", baseUrl: fake.baseUrlFor("openai-completions"), apiKey: "sk-audio" },
    ];
    const { transcriber } = createTranscriber({
      media: { audio: { models: entries } },
      providers: {},
      env: {},
    });
    expect((await transcriber?.transcribe(voice, { mimeType: "audio/ogg" }))?.provider).toBe("second");

    fake.transcriptions.failNext(500);
    const [first] = entries;
    const single = createTranscriber({
      media: { audio: { models: [{ ...first, apiKey: "sk-audio" }] } },
      providers: {},
    });
    const failure = await single.transcriber
      ?.transcribe(voice, { mimeType: "audio/ogg" })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "TRANSCRIPTION_HTTP_ERROR", status: 500 });

    const wrongKey = createTranscriber({ media: { audio: { models: [first] } }, providers: {} });
    const denied = await wrongKey.transcriber
      ?.transcribe(voice, { mimeType: "audio/ogg" })
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: "TRANSCRIPTION_HTTP_ERROR", status: 401 });
    expect((denied as Error).message).toContain("models.providers.first.apiKey");
    expect((denied as Error).message).not.toContain("sk-wrong");
  });

  it("skips an entry too small for the file and reports a timeout with the key to raise", async () => {
    const tooSmall = createTranscriber({
      media: {
        audio: {
          models: [{ provider: "openai", baseUrl: fake.baseUrlFor("openai-completions"), maxBytes: 100 }],
        },
      },
      providers: {},
    });
    await expect(tooSmall.transcriber?.transcribe(voice, { mimeType: "audio/ogg" })).rejects.toMatchObject({
      code: "AUDIO_TOO_LARGE",
      message: expect.stringContaining("tools.media.audio.models[0].maxBytes"),
    });
    expect(fake.transcriptions.requests).toHaveLength(0);

    fake.transcriptions.delayNext(5_000);
    const slow = createTranscriber({
      media: {
        audio: {
          timeoutSeconds: 0.2,
          models: [
            { provider: "openai", baseUrl: fake.baseUrlFor("openai-completions"), apiKey: "sk-audio" },
          ],
        },
      },
      providers: {},
    });
    await expect(slow.transcriber?.transcribe(voice, { mimeType: "audio/ogg" })).rejects.toMatchObject({
      code: "TRANSCRIPTION_TIMEOUT",
      message: expect.stringContaining("timeoutSeconds"),
    });
  });

  it("explains why there is no transcriber", () => {
    expect(createTranscriber({ media: {}, providers: {}, env: {} }).reason).toMatch(
      /not configured; add tools\.media\.audio\.models/,
    );
    expect(
      createTranscriber({ media: { audio: { enabled: false } }, providers: {}, env: {} }).reason,
    ).toContain("tools.media.audio.enabled is false");
    const unusable = createTranscriber({
      media: {
        audio: {
          models: [
            { type: "cli", command: "whisper" },
            { provider: "custom", model: "m" },
          ],
        },
      },
      providers: {},
      env: {},
    });
    expect(unusable.transcriber).toBeUndefined();
    expect(unusable.reason).toContain("tools.media.audio.models[0] is a CLI entry");
    expect(unusable.reason).toContain("models.providers.custom.baseUrl");
    expect(createTranscriber({ media: { audio: { models: "openai" } }, providers: {} }).reason).toContain(
      "tools.media.audio.models",
    );
  });
});
