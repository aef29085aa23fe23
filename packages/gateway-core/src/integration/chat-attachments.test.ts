import { join } from "node:path";
import { type FakeModelServer, lastUserText, userImages } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { openClawMessageText } from "../chat/openclaw-history-message.js";
import {
  callChecked,
  configWithFakeModel,
  type RawClient,
  startFakeModel,
  type TestGateway,
  useIntegrationEnv,
} from "./harness.js";

const env = useIntegrationEnv();

const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** The start of an Ogg Opus stream: enough for content sniffing to call it a voice note. */
const OPUS_BYTES = Buffer.concat([
  Buffer.from("OggS"),
  Buffer.alloc(24),
  Buffer.from("OpusHead"),
  Buffer.alloc(40),
]);

async function start(extra: { mediaMaxMb?: number; transcription?: boolean } = {}): Promise<{
  fake: FakeModelServer;
  gateway: TestGateway;
  client: RawClient;
  hello: Awaited<ReturnType<typeof env.connect>>["hello"];
}> {
  const fake = await startFakeModel(env);
  const gateway = await env.start({
    config: {
      ...configWithFakeModel(fake, {
        api: "openai-responses",
        models: [{ id: "seer", contextWindow: 32_000, input: ["text", "image"] }],
        agentDefaults: extra.mediaMaxMb === undefined ? {} : { mediaMaxMb: extra.mediaMaxMb },
      }),
      ...(extra.transcription
        ? {
            tools: {
              media: { audio: { enabled: true, models: [{ provider: "fake", model: "whisper-1" }] } },
            },
          }
        : {}),
    },
  });
  const { client, hello } = await env.connect(gateway);
  return { fake, gateway, client, hello };
}

let counter = 0;
const key = () => `attach-${Date.now()}-${counter++}`;

function waitForFinal(client: RawClient, runId: string) {
  return client.waitFor(
    (frame) =>
      frame.event === "chat" &&
      (frame.payload as { runId?: string }).runId === runId &&
      ["final", "error"].includes((frame.payload as { state?: string }).state ?? ""),
    { what: `end of run ${runId}`, timeoutMs: 15_000 },
  );
}

describe("chat.send attachments", () => {
  it("sends an image to a vision model as an image part and keeps its reference in the history", async () => {
    const { fake, gateway, client } = await start();
    fake.enqueue({ text: "a tiny picture" });

    const ack = await callChecked(client, "chat.send", {
      sessionKey: "agent:main:main",
      message: "what is this?",
      idempotencyKey: key(),
      attachments: [
        {
          type: "image",
          mimeType: "image/png",
          fileName: "pixel.png",
          content: `data:image/png;base64,${PNG_BASE64}`,
        },
      ],
    });
    const final = await waitForFinal(client, ack.runId);
    expect((final.payload as { state: string }).state).toBe("final");

    const [request] = await fake.waitForRequests(1);
    const recorded = request as NonNullable<typeof request>;
    expect(userImages(recorded)).toEqual([{ mediaType: "image/png", base64: PNG_BASE64, url: undefined }]);
    expect(lastUserText(recorded)).toBe("what is this?");

    const history = await callChecked(client, "chat.history", { sessionKey: "agent:main:main" });
    const user = history.messages.find((row) => row.role === "user");
    expect(user?.media).toEqual([
      expect.objectContaining({ kind: "image", mimeType: "image/png", fileName: "pixel.png", sizeBytes: 70 }),
    ]);
    expect(user?.media?.[0]?.path.startsWith(join(gateway.stateDir, "media"))).toBe(true);
  });

  it("folds a text document into the message the model reads", async () => {
    const { fake, client } = await start();
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "agent:main:main",
      message: "summarise this",
      idempotencyKey: key(),
      attachments: [
        {
          type: "file",
          fileName: "minutes.md",
          content: Buffer.from("# Minutes\nWe agreed.").toString("base64"),
        },
      ],
    });
    await waitForFinal(client, ack.runId);

    const [request] = await fake.waitForRequests(1);
    const text = lastUserText(request as NonNullable<typeof request>);
    expect(text.startsWith("summarise this\n\n")).toBe(true);
    expect(text).toContain("We agreed.");
  });

  it("transcribes a voice note: the model reads the transcript, the history keeps it beside the audio's reference", async () => {
    const { fake, client } = await start({ transcription: true });
    fake.transcriptions.setTranscript("remind me to buy milk");

    const voiceSend = {
      sessionKey: "agent:main:main",
      message: "",
      idempotencyKey: key(),
      attachments: [
        {
          type: "audio",
          mimeType: "audio/ogg",
          fileName: "voice.ogg",
          content: OPUS_BYTES.toString("base64"),
        },
      ],
    };
    const ack = await callChecked(client, "chat.send", voiceSend);
    await waitForFinal(client, ack.runId);

    const [upload] = await fake.transcriptions.waitForRequests(1);
    expect(upload?.model).toBe("whisper-1");
    // A retry with the same key answers with the first run and does not transcribe the file again.
    const retry = await callChecked(client, "chat.send", voiceSend);
    expect(retry).toMatchObject({ runId: ack.runId, deduped: true });
    expect(fake.transcriptions.requests).toHaveLength(1);
    const [request] = await fake.waitForRequests(1);
    expect(lastUserText(request as NonNullable<typeof request>)).toContain("remind me to buy milk");

    const history = await callChecked(client, "chat.history", { sessionKey: "agent:main:main" });
    const user = history.messages.find((row) => row.role === "user");
    expect(openClawMessageText(user ?? {})).toContain("remind me to buy milk");
    expect(user?.media?.[0]).toMatchObject({ mimeType: "audio/ogg", transcript: "remind me to buy milk" });
  });

  it("advertises the per-attachment ceilings in hello-ok, as OpenClaw does", async () => {
    const { hello } = await start({ mediaMaxMb: 2 });
    expect(hello.policy.attachments).toEqual({ maxBytes: 2 * 1024 * 1024, maxImageBytes: 2 * 1024 * 1024 });
  });

  it("refuses an oversized or malformed attachment with a clear error and runs nothing", async () => {
    const { fake, client } = await start({ mediaMaxMb: 0.001 });

    const tooLarge = await client.callError("chat.send", {
      sessionKey: "agent:main:main",
      message: "look",
      idempotencyKey: key(),
      attachments: [
        { mimeType: "application/pdf", fileName: "big.pdf", content: Buffer.alloc(4_096).toString("base64") },
      ],
    });
    expect(tooLarge).toMatchObject({
      code: "INVALID_REQUEST",
      details: { code: "ATTACHMENT_TOO_LARGE", index: 0 },
    });
    expect(tooLarge.message).toContain("attachments[0] (big.pdf)");
    expect(tooLarge.message).toContain("agents.defaults.mediaMaxMb");

    const malformed = await client.callError("chat.send", {
      sessionKey: "agent:main:main",
      message: "look",
      idempotencyKey: key(),
      attachments: [{ mimeType: "image/png", content: "not base64 at all!" }],
    });
    expect(malformed).toMatchObject({ code: "INVALID_REQUEST", details: { code: "ATTACHMENT_INVALID" } });
    expect(fake.requests).toHaveLength(0);
  });
});
