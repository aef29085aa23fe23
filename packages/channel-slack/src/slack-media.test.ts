import { readFile } from "node:fs/promises";
import { InboundMessageSchema, MediaTooLargeError } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { slackFilesToMedia } from "./slack-files.js";
import { useSlackTestAccount } from "./slack-test-account.test-support.js";

const env = useSlackTestAccount();
const signal = () => AbortSignal.timeout(15_000);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe("slack inbound files", () => {
  it("hands over a file_share DM with lazily downloaded media of each kind", async () => {
    await env.start();
    const arrived = env.inbound.next();
    env.fake.sendDirectMessage({
      user: "U0ALICE",
      text: "what is on these?",
      files: [
        { name: "photo.png", mimeType: "image/png", bytes: PNG },
        {
          name: "audio_message.m4a",
          mimeType: "audio/mp4",
          bytes: new Uint8Array([1, 2]),
          clip: "audio",
          durationMs: 2500,
        },
        { name: "notes.txt", mimeType: "text/plain", bytes: new TextEncoder().encode("hello notes") },
        { name: "song.mp3", mimeType: "audio/mpeg", bytes: new Uint8Array([3]) },
        { name: "clip.mp4", mimeType: "video/mp4", bytes: new Uint8Array([4]) },
      ],
    });
    const message = await arrived;
    expect(InboundMessageSchema.safeParse(message).success).toBe(true);
    expect(message.text).toBe("what is on these?");
    expect(message.media?.map((item) => [item.kind, item.mimeType, item.fileName, item.sizeBytes])).toEqual([
      ["image", "image/png", "photo.png", PNG.byteLength],
      ["voice", "audio/mp4", "audio_message.m4a", 2],
      ["document", "text/plain", "notes.txt", 11],
      ["audio", "audio/mpeg", "song.mp3", 1],
      ["video", "video/mp4", "clip.mp4", 1],
    ]);
    expect(message.media?.[1]?.durationSec).toBe(2.5);
    expect(env.fake.downloads).toEqual([]);
    const photo = await message.media?.[0]?.download({ maxBytes: 1024, signal: signal() });
    expect([...(photo ?? [])]).toEqual([...PNG]);
    const notes = await message.media?.[2]?.download({ maxBytes: 1024, signal: signal() });
    expect(new TextDecoder().decode(notes)).toBe("hello notes");
    expect(env.fake.downloads.every((entry) => entry.authorized)).toBe(true);
    expect(env.logged.join("\n")).not.toContain(env.fake.botToken);
  });

  it("refuses a file whose declared size is over maxBytes without fetching it, and caps the body", async () => {
    await env.start();
    const arrived = env.inbound.next();
    env.fake.sendChannelMessage({
      channel: "C0TEAM",
      user: "U0ALICE",
      text: env.fake.mention(""),
      files: [
        { name: "big.pdf", mimeType: "application/pdf", bytes: new Uint8Array(10), declaredSize: 50_000_000 },
        // Slack's declared size can be wrong; the stream is capped all the same.
        {
          name: "lies.bin",
          mimeType: "application/octet-stream",
          bytes: new Uint8Array(4096),
          declaredSize: 10,
        },
      ],
    });
    const message = await arrived;
    expect(message).toMatchObject({ chatKind: "group", chatId: "C0TEAM", mentionsBot: true, text: "" });
    await expect(
      message.media?.[0]?.download({ maxBytes: 1_000_000, signal: signal() }),
    ).rejects.toBeInstanceOf(MediaTooLargeError);
    expect(env.fake.downloads).toEqual([]);
    await expect(message.media?.[1]?.download({ maxBytes: 1000, signal: signal() })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
  });

  it("reports Slack's sign-in page (no files:read) as SLACK_FILE_UNAVAILABLE", async () => {
    await env.start();
    const arrived = env.inbound.next();
    env.fake.sendDirectMessage({
      user: "U0ALICE",
      text: "",
      files: [{ name: "a.png", mimeType: "image/png", bytes: PNG }],
    });
    const message = await arrived;
    env.fake.withholdFiles();
    await expect(message.media?.[0]?.download({ maxBytes: 1024, signal: signal() })).rejects.toMatchObject({
      code: "SLACK_FILE_UNAVAILABLE",
      message: expect.stringContaining("files:read"),
    });
    expect(env.fake.downloads).toEqual([expect.objectContaining({ authorized: false })]);
  });

  it("takes a clip without subtype, mislabelled video/mp4, by Slack's audio_message name", () => {
    const fetcher = { botToken: env.fake.botToken, apiUrl: env.fake.apiUrl, signal: signal() };
    const kinds = slackFilesToMedia(
      [
        { id: "F1", name: "audio_message.mp4", mimetype: "video/mp4" },
        { id: "F2", name: "holiday.mp4", mimetype: "video/mp4" },
        { id: "F3", name: "screen.mp4", mimetype: "video/mp4", subtype: "slack_video" },
      ],
      fetcher,
    ).map((media) => media.kind);
    expect(kinds).toEqual(["voice", "video", "video"]);
  });

  it("never sends the bot token to a host that is not Slack's", () => {
    const [media] = slackFilesToMedia(
      [
        {
          id: "F1",
          name: "x.png",
          mimetype: "image/png",
          size: 3,
          url_private_download: "https://evil.example/x.png",
        },
      ],
      { botToken: env.fake.botToken, apiUrl: env.fake.apiUrl, signal: signal() },
    );
    return expect(media?.download({ maxBytes: 1024, signal: signal() })).rejects.toMatchObject({
      code: "SLACK_FILE_UNAVAILABLE",
      message: expect.stringContaining("evil.example"),
    });
  });
});

describe("slack sendMedia", () => {
  it("uploads with files.uploadV2 into the DM's conversation and thread, with the caption as comment", async () => {
    await env.start();
    const sent = await env.plugin.sendMedia?.({
      accountId: "default",
      to: "U0ALICE",
      media: { data: PNG, mimeType: "image/png", kind: "image" },
      caption: "here is **the chart**",
      threadId: "1700000000.000001",
    });
    const upload = await env.fake.waitForUpload((entry) => entry.completed);
    expect(upload).toMatchObject({
      fileName: "image.png",
      channel: "DU0ALICE",
      threadTs: "1700000000.000001",
      initialComment: "here is *the chart*",
      length: PNG.byteLength,
    });
    expect([...upload.bytes]).toEqual([...PNG]);
    expect(sent?.messageId).toBe(upload.ts);
    expect(env.fake.calls.map((call) => call.method)).toContain("conversations.open");
  });

  it("refuses media over the account's mediaMaxMb and posts a URL-only item as a link", async () => {
    await env.start({}, { mediaMaxMb: 0.00001 });
    await expect(
      env.plugin.sendMedia?.({
        accountId: "default",
        to: "C0TEAM",
        media: { data: new Uint8Array(100), mimeType: "application/pdf", fileName: "a.pdf" },
      }),
    ).rejects.toMatchObject({ code: "SLACK_MEDIA_TOO_LARGE" });
    await env.plugin.sendMedia?.({
      accountId: "default",
      to: "C0TEAM",
      media: { url: "https://example.com/a.png", mimeType: "image/png" },
      caption: "look",
    });
    const [posted] = await env.fake.waitForPosted((entry) => entry.channel === "C0TEAM");
    expect(posted?.text).toBe("look\nhttps://example.com/a.png");
    expect(env.fake.uploads).toEqual([]);
  });

  it("waits out a 429 on files.completeUploadExternal", async () => {
    await env.start();
    env.fake.failNext("files.getUploadURLExternal", { status: 429, retryAfter: 1 });
    await env.plugin.sendMedia?.({
      accountId: "default",
      to: "C0TEAM",
      media: { data: PNG, mimeType: "image/png", fileName: "p.png" },
    });
    expect((await env.fake.waitForUpload((entry) => entry.completed)).channel).toBe("C0TEAM");
  });
});

describe("slack payloads recorded as fixtures (packages/testing/src/slack/__fixtures__)", () => {
  const fixture = async (name: string): Promise<unknown> =>
    JSON.parse(
      await readFile(new URL(`../../testing/src/slack/__fixtures__/${name}`, import.meta.url), "utf8"),
    ) as unknown;

  it("reads a DM audio clip, an image in a channel, a reaction and a slash command as Slack sends them", async () => {
    await env.start({ commands: [{ name: "model", description: "Set the model", args: "<model>" }] });
    const clip = env.inbound.next();
    env.fake.replayEnvelope("events_api", await fixture("dm-audio-clip.event.json"));
    expect(await clip).toMatchObject({
      chatKind: "dm",
      peer: { id: "U08ALICE01" },
      text: "",
      media: [
        {
          kind: "voice",
          mimeType: "audio/mp4",
          fileName: "audio_message.m4a",
          sizeBytes: 28734,
          durationSec: 2.76,
          platformFileId: "F08A1B2C3D4",
        },
      ],
    });
    const image = env.inbound.next();
    env.fake.replayEnvelope("events_api", await fixture("channel-image.event.json"));
    expect(await image).toMatchObject({
      chatKind: "group",
      chatId: "C08TEAM001",
      mentionsBot: true,
      text: "what is on this?",
      media: [{ kind: "image", mimeType: "image/png", fileName: "whiteboard.png", sizeBytes: 183422 }],
    });
    const reaction = env.reactions.next();
    env.fake.replayEnvelope("events_api", await fixture("reaction-added.event.json"));
    expect(await reaction).toMatchObject({ emoji: "👍", onBotMessage: true, messageId: "1735733230.000300" });
    const command = env.inbound.next();
    env.fake.replayEnvelope("slash_commands", await fixture("slash-command.payload.json"));
    expect(await command).toMatchObject({ text: "/model gpt-5", nativeCommand: true, chatId: "C08TEAM001" });
  });
});
