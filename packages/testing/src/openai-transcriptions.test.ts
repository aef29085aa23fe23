import OpenAI, { toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeModelServer, startFakeModelServer } from "./index.js";

let server: FakeModelServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const OGG_BYTES = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8]);

const clientFor = (fake: FakeModelServer, apiKey = "sk-fake") =>
  new OpenAI({ baseURL: fake.baseUrlFor("openai-completions"), apiKey, maxRetries: 0 });

describe("fake /v1/audio/transcriptions", () => {
  it("answers the OpenAI SDK's multipart upload and records the file, its name, the model and the key", async () => {
    server = await startFakeModelServer();
    server.transcriptions.setTranscript("hello from a voice note");
    const result = await clientFor(server).audio.transcriptions.create({
      file: await toFile(OGG_BYTES, "voice.ogg", { type: "audio/ogg" }),
      model: "gpt-4o-transcribe",
      language: "en",
      prompt: "OpenClaw",
    });
    expect(result.text).toBe("hello from a voice note");
    const [request] = await server.transcriptions.waitForRequests(1);
    expect(request?.model).toBe("gpt-4o-transcribe");
    expect(request?.fileName).toBe("voice.ogg");
    expect(request?.fileType).toBe("audio/ogg");
    expect([...(request?.file ?? [])]).toEqual([...OGG_BYTES]);
    expect(request?.language).toBe("en");
    expect(request?.prompt).toBe("OpenClaw");
    expect(request?.authorization).toBe("Bearer sk-fake");
    expect(server.requests).toHaveLength(0);
  });

  it("answers plain text for response_format text and a transcript computed from the request", async () => {
    server = await startFakeModelServer();
    server.transcriptions.setTranscript(
      (request) => `${request.file.byteLength} bytes in ${request.fileName}`,
    );
    const text = await clientFor(server).audio.transcriptions.create({
      file: await toFile(OGG_BYTES, "note.ogg"),
      model: "whisper-1",
      response_format: "text",
    });
    expect(text).toBe(`${OGG_BYTES.byteLength} bytes in note.ogg`);
  });

  it("refuses a wrong key, a scheduled failure, a missing file and a missing model in OpenAI's error shape", async () => {
    server = await startFakeModelServer({ apiKey: "sk-right" });
    const upload = async () => toFile(OGG_BYTES, "voice.ogg");
    await expect(
      clientFor(server, "sk-wrong").audio.transcriptions.create({ file: await upload(), model: "whisper-1" }),
    ).rejects.toMatchObject({ status: 401 });
    server.transcriptions.failNext(503);
    await expect(
      clientFor(server, "sk-right").audio.transcriptions.create({ file: await upload(), model: "whisper-1" }),
    ).rejects.toMatchObject({ status: 503 });

    const withoutFile = new FormData();
    withoutFile.append("model", "whisper-1");
    const noFile = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-right" },
      body: withoutFile,
    });
    expect(noFile.status).toBe(400);
    const withoutModel = new FormData();
    withoutModel.append("file", new Blob([OGG_BYTES]), "voice.ogg");
    const noModel = await fetch(`${server.url}/v1/audio/transcriptions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-right" },
      body: withoutModel,
    });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as { error: { message: string } }).error.message).toMatch(/model/);
    expect(server.transcriptions.requests).toHaveLength(4);

    server.reset();
    expect(server.transcriptions.requests).toHaveLength(0);
  });
});
