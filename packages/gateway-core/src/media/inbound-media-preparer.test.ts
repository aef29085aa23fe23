import path from "node:path";
import { createMediaStore, createTranscriber } from "@openclaw/media";
import { type InboundMedia, MediaTooLargeError } from "@openclaw/plugin-sdk";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  chat,
  config,
  createManager,
  dm,
  events,
  fakeChannel,
  inject,
  sends,
  stateDir,
} from "../channels/channel-manager.test-support.js";
import { PluginRegistry } from "../channels/plugin-registry.js";
import { createLogger } from "../logging/logger.js";
import { createInboundMediaPreparer } from "./inbound-media-preparer.js";
import { oggVoiceNote, pdfOf, pngPixel } from "./media-fixtures.test-support.js";
import { understandMedia } from "./understand-media.js";

const MB = 1024 * 1024;
let fake: FakeModelServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** An item whose download serves `bytes` through the SDK's cap, counting the calls. */
function mediaItem(bytes: Uint8Array, fields: Partial<InboundMedia> & Pick<InboundMedia, "kind">) {
  const item = {
    downloads: 0,
    media: {
      ...fields,
      download: async ({ maxBytes }: { maxBytes: number }) => {
        item.downloads += 1;
        if (bytes.byteLength > maxBytes) throw new MediaTooLargeError(maxBytes);
        return bytes;
      },
    } as InboundMedia,
  };
  return item;
}

async function running(
  channelConfig: Record<string, unknown>,
  transcription = createTranscriber({ media: {}, providers: {}, env: {} }),
) {
  const registry = new PluginRegistry();
  const alpha = fakeChannel("alpha", events);
  registry.registerChannel(alpha.plugin);
  config.channels = { alpha: { dmPolicy: "open", allowFrom: ["*"], ...channelConfig } };
  const store = createMediaStore({ rootDir: path.join(stateDir, "media") });
  const inboundMedia = createInboundMediaPreparer({
    understand: (bytes, hint) => understandMedia(bytes, hint, { store, transcription: () => transcription }),
  });
  const manager = createManager(registry, { inboundMedia });
  await manager.start();
  return { alpha, manager };
}

describe("inbound media through a channel", () => {
  it("hands a photo to the turn as an image attachment and a document's text in the message", async () => {
    const { alpha, manager } = await running({});
    const photo = mediaItem(pngPixel(), { kind: "image", mimeType: "image/jpeg" });
    const report = mediaItem(pdfOf(["Sales up 4%"]), { kind: "document", fileName: "report.pdf" });
    inject(alpha, dm("alpha", "42", "what do you make of these?", { media: [photo.media, report.media] }));
    await manager.idle();
    const [request] = chat.requests.list;
    expect(request?.attachments?.map((a) => [a.kind, a.mimeType, a.fileName])).toEqual([
      ["image", "image/png", undefined],
      ["document", "application/pdf", "report.pdf"],
    ]);
    expect(request?.attachments?.[0]?.path.startsWith(path.join(stateDir, "media", "inbound"))).toBe(true);
    expect(request?.message).toMatch(/^what do you make of these\?\n\n\[File: report\.pdf/);
    expect(request?.message).toContain("Sales up 4%");
    expect(request?.message).not.toContain("[Image");
  });

  it("sends the transcript of a voice note without text to the agent", async () => {
    fake = await startFakeModelServer();
    fake.transcriptions.setTranscript("book a table for two");
    const transcription = createTranscriber({
      media: {
        audio: {
          models: [{ provider: "local", model: "whisper-1", baseUrl: fake.baseUrlFor("openai-completions") }],
        },
      },
      providers: {},
      env: {},
    });
    const { alpha, manager } = await running({}, transcription);
    const voice = mediaItem(oggVoiceNote(), { kind: "voice", mimeType: "audio/ogg", durationSec: 2 });
    inject(alpha, dm("alpha", "42", "", { media: [voice.media] }));
    await manager.idle();
    const [request] = chat.requests.list;
    expect(request?.message).toMatch(/^\[Voice note transcript: .+\]\nbook a table for two$/);
    expect(request?.attachments?.[0]).toMatchObject({ kind: "voice", transcript: "book a table for two" });
    expect(fake.transcriptions.requests).toHaveLength(1);
  });

  it("refuses an item over mediaMaxMb by its declared size without downloading it, and tells the sender", async () => {
    const { alpha, manager } = await running({ mediaMaxMb: 20 });
    const big = mediaItem(pngPixel(), { kind: "document", fileName: "scan.tiff", sizeBytes: 31 * MB });
    inject(alpha, dm("alpha", "42", "see attached", { media: [big.media] }));
    await manager.idle();
    expect(big.downloads).toBe(0);
    expect(sends().map((send) => send.text)).toContain(
      '"scan.tiff" was not read: it is 31 MB; this chat accepts files up to 20 MB.',
    );
    expect(chat.requests.list[0]?.message).toBe("see attached");
    expect(chat.requests.list[0]?.attachments).toBeUndefined();
  });

  it("uses the account's mediaMaxMb for the download cap and reports what the platform refused", async () => {
    const { alpha, manager } = await running({ accounts: { default: { mediaMaxMb: 0.001 } } });
    const photo = mediaItem(new Uint8Array(5000).fill(1), { kind: "image" });
    const broken: InboundMedia = {
      kind: "video",
      download: async () => {
        throw new Error("connection reset");
      },
    };
    inject(alpha, dm("alpha", "42", "", { media: [photo.media, broken] }));
    await manager.idle();
    expect(photo.downloads).toBe(1);
    expect(sends().map((send) => send.text)).toEqual([
      "The photo was not read: it is larger than that; this chat accepts files up to 1 KB.",
      "The video could not be downloaded from the platform; please send it again.",
    ]);
    // Nothing usable and no text: no turn runs.
    expect(chat.requests.list).toEqual([]);
  });

  it("reads at most ten items and says how many were left (the SDK's schema refuses more, so asked directly)", async () => {
    const { alpha } = await running({});
    const items = Array.from({ length: 12 }, () => mediaItem(pngPixel(), { kind: "image" }));
    const store = createMediaStore({ rootDir: path.join(stateDir, "media") });
    const preparer = createInboundMediaPreparer({
      understand: (bytes, hint) => understandMedia(bytes, hint, { store, transcription: () => ({}) }),
    });
    const prepared = await preparer.prepare({
      account: {
        plugin: alpha.plugin,
        accountId: "default",
        config: {},
        logger: createLogger({ level: "error", sinks: [] }),
        isActive: () => true,
        onInbound: () => undefined,
        onOutbound: () => undefined,
        onFatal: () => undefined,
      },
      message: dm("alpha", "42", "album", { media: items.map((item) => item.media) }),
      agentId: "main",
      sessionKey: "agent:main:alpha:direct:42",
      reply: async () => undefined,
    });
    expect(items.map((item) => item.downloads)).toEqual([...Array(10).fill(1), 0, 0]);
    expect(prepared.notices).toEqual([
      "Only the first 10 attachments of a message are read; 2 more were ignored. Send them in another message.",
    ]);
    expect(prepared.attachments).toHaveLength(10);
    expect(prepared.text).toBe("album");
  });

  it("tells the sender when voice notes cannot be transcribed, and still runs the turn", async () => {
    const { alpha, manager } = await running({});
    const voice = mediaItem(oggVoiceNote(), { kind: "voice" });
    inject(alpha, dm("alpha", "42", "", { media: [voice.media] }));
    await manager.idle();
    expect(sends()[0]?.text).toMatch(/^I can't listen to voice notes here: .*tools\.media\.audio\.models/);
    expect(chat.requests.list[0]?.message).toContain("not transcribed");
  });
});
