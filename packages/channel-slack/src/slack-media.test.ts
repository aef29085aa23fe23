import { readFile } from "node:fs/promises";
import {
  type ChannelAccountContext,
  type InboundMessage,
  InboundMessageSchema,
  type InboundReaction,
  InboundReactionSchema,
  MediaTooLargeError,
} from "@openclaw/plugin-sdk";
import { type FakeSlackServer, startFakeSlackServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SlackAccountHandle } from "./slack-account.js";
import { type SlackConfig, SlackConfigSchema } from "./slack-config.js";
import { slackFilesToMedia } from "./slack-files.js";
import { createSlackPlugin } from "./slack-plugin.js";

/** Resolves the next item pushed to a queue, or one already waiting. */
function queue<T>() {
  const items: T[] = [];
  const waiters: ((item: T) => void)[] = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      waiters.shift()?.(item);
    },
    next: () => new Promise<T>((resolve) => waiters.push(resolve)),
  };
}

let fake: FakeSlackServer;
let plugin: ReturnType<typeof createSlackPlugin>;
let handle: SlackAccountHandle | undefined;
let inbound: ReturnType<typeof queue<InboundMessage>>;
let reactions: ReturnType<typeof queue<InboundReaction>>;
const logged: string[] = [];

async function start(
  extra: Partial<ChannelAccountContext<SlackConfig>> = {},
  config: Record<string, unknown> = {},
) {
  const logger = {
    debug: (message: string, fields?: unknown) => logged.push(message + JSON.stringify(fields ?? {})),
    info: (message: string, fields?: unknown) => logged.push(message + JSON.stringify(fields ?? {})),
    warn: (message: string, fields?: unknown) => logged.push(message + JSON.stringify(fields ?? {})),
    error: (message: string, fields?: unknown) => logged.push(message + JSON.stringify(fields ?? {})),
  };
  handle = (await plugin.startAccount({
    accountId: "default",
    config: SlackConfigSchema.parse({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      ...config,
    }),
    logger,
    signal: new AbortController().signal,
    onInbound: (message) => inbound.push(message),
    onReaction: (reaction) => reactions.push(reaction),
    setStatus: () => undefined,
    ...extra,
  })) as SlackAccountHandle;
}

const signal = () => AbortSignal.timeout(15_000);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

beforeEach(async () => {
  fake = await startFakeSlackServer();
  fake.addUser({ id: "U0ALICE", name: "alice" });
  fake.addChannel({ id: "C0TEAM", name: "team" });
  plugin = createSlackPlugin();
  inbound = queue<InboundMessage>();
  reactions = queue<InboundReaction>();
  logged.length = 0;
});

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
  await fake.close();
});

describe("slack inbound files", () => {
  it("hands over a file_share DM with lazily downloaded media of each kind", async () => {
    await start();
    const arrived = inbound.next();
    fake.sendDirectMessage({
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
    expect(fake.downloads).toEqual([]);
    const photo = await message.media?.[0]?.download({ maxBytes: 1024, signal: signal() });
    expect([...(photo ?? [])]).toEqual([...PNG]);
    const notes = await message.media?.[2]?.download({ maxBytes: 1024, signal: signal() });
    expect(new TextDecoder().decode(notes)).toBe("hello notes");
    expect(fake.downloads.every((entry) => entry.authorized)).toBe(true);
    expect(logged.join("\n")).not.toContain(fake.botToken);
  });

  it("refuses a file whose declared size is over maxBytes without fetching it, and caps the body", async () => {
    await start();
    const arrived = inbound.next();
    fake.sendChannelMessage({
      channel: "C0TEAM",
      user: "U0ALICE",
      text: fake.mention(""),
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
    expect(fake.downloads).toEqual([]);
    await expect(message.media?.[1]?.download({ maxBytes: 1000, signal: signal() })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
  });

  it("reports Slack's sign-in page (no files:read) as SLACK_FILE_UNAVAILABLE", async () => {
    await start();
    const arrived = inbound.next();
    fake.sendDirectMessage({
      user: "U0ALICE",
      text: "",
      files: [{ name: "a.png", mimeType: "image/png", bytes: PNG }],
    });
    const message = await arrived;
    fake.withholdFiles();
    await expect(message.media?.[0]?.download({ maxBytes: 1024, signal: signal() })).rejects.toMatchObject({
      code: "SLACK_FILE_UNAVAILABLE",
      message: expect.stringContaining("files:read"),
    });
    expect(fake.downloads).toEqual([expect.objectContaining({ authorized: false })]);
  });

  it("takes a clip without subtype, mislabelled video/mp4, by Slack's audio_message name", () => {
    const fetcher = { botToken: fake.botToken, apiUrl: fake.apiUrl, signal: signal() };
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
      { botToken: fake.botToken, apiUrl: fake.apiUrl, signal: signal() },
    );
    return expect(media?.download({ maxBytes: 1024, signal: signal() })).rejects.toMatchObject({
      code: "SLACK_FILE_UNAVAILABLE",
      message: expect.stringContaining("evil.example"),
    });
  });
});

describe("slack sendMedia", () => {
  it("uploads with files.uploadV2 into the DM's conversation and thread, with the caption as comment", async () => {
    await start();
    const sent = await plugin.sendMedia?.({
      accountId: "default",
      to: "U0ALICE",
      media: { data: PNG, mimeType: "image/png", kind: "image" },
      caption: "here is **the chart**",
      threadId: "1700000000.000001",
    });
    const upload = await fake.waitForUpload((entry) => entry.completed);
    expect(upload).toMatchObject({
      fileName: "image.png",
      channel: "DU0ALICE",
      threadTs: "1700000000.000001",
      initialComment: "here is *the chart*",
      length: PNG.byteLength,
    });
    expect([...upload.bytes]).toEqual([...PNG]);
    expect(sent?.messageId).toBe(upload.ts);
    expect(fake.calls.map((call) => call.method)).toContain("conversations.open");
  });

  it("refuses media over the account's mediaMaxMb and posts a URL-only item as a link", async () => {
    await start({}, { mediaMaxMb: 0.00001 });
    await expect(
      plugin.sendMedia?.({
        accountId: "default",
        to: "C0TEAM",
        media: { data: new Uint8Array(100), mimeType: "application/pdf", fileName: "a.pdf" },
      }),
    ).rejects.toMatchObject({ code: "SLACK_MEDIA_TOO_LARGE" });
    await plugin.sendMedia?.({
      accountId: "default",
      to: "C0TEAM",
      media: { url: "https://example.com/a.png", mimeType: "image/png" },
      caption: "look",
    });
    const [posted] = await fake.waitForPosted((entry) => entry.channel === "C0TEAM");
    expect(posted?.text).toBe("look\nhttps://example.com/a.png");
    expect(fake.uploads).toEqual([]);
  });

  it("waits out a 429 on files.completeUploadExternal", async () => {
    await start();
    fake.failNext("files.getUploadURLExternal", { status: 429, retryAfter: 1 });
    await plugin.sendMedia?.({
      accountId: "default",
      to: "C0TEAM",
      media: { data: PNG, mimeType: "image/png", fileName: "p.png" },
    });
    expect((await fake.waitForUpload((entry) => entry.completed)).channel).toBe("C0TEAM");
  });
});

describe("slack edits, deletes and reactions", () => {
  it("edits a DM reply several times through its IM channel, then deletes it", async () => {
    await start();
    const { messageId } = await plugin.sendText({ accountId: "default", to: "U0ALICE", text: "draft" });
    await plugin.editText?.({ accountId: "default", to: "U0ALICE", messageId, text: "draft **more**" });
    await plugin.editText?.({ accountId: "default", to: "U0ALICE", messageId, text: "final" });
    expect(fake.message("DU0ALICE", messageId)?.history).toEqual(["draft", "draft *more*", "final"]);
    // The IM channel came from chat.postMessage's answer: no conversations.open was needed.
    expect(fake.calls.map((call) => call.method)).not.toContain("conversations.open");
    await plugin.deleteMessage?.({ accountId: "default", to: "U0ALICE", messageId });
    expect(fake.message("DU0ALICE", messageId)?.deleted).toBe(true);
    await plugin.deleteMessage?.({ accountId: "default", to: "U0ALICE", messageId });
  });

  it("reacts with Slack names for unicode emoji, idempotently, and removes", async () => {
    await start();
    const { ts } = fake.sendChannelMessage({
      channel: "C0TEAM",
      user: "U0ALICE",
      text: "hi",
      appMention: false,
    });
    for (const emoji of ["👀", "✅", "👍", "❤️", "⏳", "eyes"]) {
      await plugin.react?.({ accountId: "default", to: "C0TEAM", messageId: ts, emoji });
    }
    await plugin.react?.({ accountId: "default", to: "C0TEAM", messageId: ts, emoji: "👀", remove: true });
    await plugin.react?.({ accountId: "default", to: "C0TEAM", messageId: ts, emoji: "👀", remove: true });
    expect(fake.message("C0TEAM", ts)?.reactions).toEqual([
      "white_check_mark",
      "+1",
      "heart",
      "hourglass_flowing_sand",
    ]);
    await expect(
      plugin.react?.({ accountId: "default", to: "C0TEAM", messageId: ts, emoji: "\u{E0001}" }),
    ).rejects.toMatchObject({ code: "SLACK_API_ERROR" });
  });

  it("hands reactions on messages to onReaction, unicode where known, onBotMessage for the bot's posts", async () => {
    await start();
    const { messageId } = await plugin.sendText({ accountId: "default", to: "C0TEAM", text: "answer" });
    const arrived = reactions.next();
    fake.sendReaction({ user: "U0ALICE", channel: "C0TEAM", ts: messageId, reaction: "+1::skin-tone-3" });
    const added = await arrived;
    expect(InboundReactionSchema.safeParse(added).success).toBe(true);
    expect(added).toMatchObject({
      channel: "slack",
      chatKind: "group",
      chatId: "C0TEAM",
      peer: { id: "C0TEAM", name: "#team" },
      sender: { id: "U0ALICE", name: "alice" },
      messageId,
      onBotMessage: true,
      emoji: "👍",
      removed: false,
    });
    const removed = reactions.next();
    const { ts } = fake.sendDirectMessage({ user: "U0ALICE", text: "mine" });
    fake.sendReaction({ user: "U0ALICE", channel: "DU0ALICE", ts, reaction: "partyparrot", removed: true });
    expect(await removed).toMatchObject({
      chatKind: "dm",
      peer: { id: "U0ALICE" },
      onBotMessage: false,
      emoji: "partyparrot",
      removed: true,
    });
  });
});

describe("slack slash commands", () => {
  const commands = [
    { name: "new", description: "Start a new session" },
    { name: "status", description: "Show status" },
    { name: "model", description: "Set the model", args: "<model>" },
  ];

  it("acks at once and hands the invocation over as /<name> <args>, nativeCommand, in its chat", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await start({
      commands,
      onInbound: async (message) => {
        inbound.push(message);
        await gate;
      },
    });
    const arrived = inbound.next();
    const { envelopeId, triggerId } = fake.sendSlashCommand({
      command: "/model",
      text: " gpt-5 ",
      user: "U0ALICE",
      channel: "C0TEAM",
    });
    // The ack does not wait for the gateway (the gate is still closed).
    await fake.waitForAck(envelopeId);
    const message = await arrived;
    release();
    expect(InboundMessageSchema.safeParse(message).success).toBe(true);
    expect(message).toMatchObject({
      chatKind: "group",
      chatId: "C0TEAM",
      peer: { id: "C0TEAM", name: "#team" },
      sender: { id: "U0ALICE", name: "alice", username: "alice" },
      text: "/model gpt-5",
      mentionsBot: true,
      nativeCommand: true,
      platformMessageId: triggerId,
    });
  });

  it("acks a command the gateway did not hand over with a hint only the user sees", async () => {
    await start({ commands });
    const { envelopeId } = fake.sendSlashCommand({ command: "/deploy", user: "U0ALICE", channel: "C0TEAM" });
    await fake.waitForAck(envelopeId);
    expect(fake.ackPayload(envelopeId)).toEqual({
      response_type: "ephemeral",
      text: "/deploy is not one of this gateway's commands: /new /agentstatus /model",
    });
    expect(inbound.items).toEqual([]);
  });

  it("takes a slash command in HTTP mode from Slack's signed form", async () => {
    await start({ commands }, { mode: "http", signingSecret: fake.signingSecret, http: { port: 0 } });
    const url = `http://127.0.0.1:${handle?.httpAddress?.port}/slack/events`;
    const arrived = inbound.next();
    const body = fake.slashCommandBody({ command: "/new", text: "", user: "U0ALICE", channel: "C0TEAM" });
    const response = await fake.postEvent(url, body, { form: true });
    expect(response.status).toBe(200);
    expect(await arrived).toMatchObject({
      chatKind: "group",
      chatId: "C0TEAM",
      text: "/new",
      nativeCommand: true,
    });
    const forged = await fake.postEvent(url, body, { form: true, signingSecret: "wrong" });
    expect(forged.status).toBe(401);
  });

  it("registers /status as Slack's /agentstatus and answers in the DM it ran in", async () => {
    await start({ commands });
    const arrived = inbound.next();
    fake.sendSlashCommand({ command: "/agentstatus", user: "U0ALICE" });
    expect(await arrived).toMatchObject({ chatKind: "dm", peer: { id: "U0ALICE" }, text: "/status" });
    // The DM's channel was learned from the command: an edit of the reply needs no conversations.open.
    const { messageId } = await plugin.sendText({ accountId: "default", to: "U0ALICE", text: "ok" });
    await plugin.editText?.({ accountId: "default", to: "U0ALICE", messageId, text: "ok!" });
    expect(fake.calls.map((call) => call.method)).not.toContain("conversations.open");
  });
});

describe("slack socket health", () => {
  it("keeps one Socket Mode connection across its pings (socket-mode needs undici 7 for them)", async () => {
    await start();
    await fake.waitForClientPings(2, 20_000);
    expect(fake.connectionCount).toBe(1);
    expect(logged.join("\n")).not.toContain("Failed to send ping");
  });
});

describe("slack payloads recorded as fixtures (packages/testing/src/slack/__fixtures__)", () => {
  const fixture = async (name: string): Promise<unknown> =>
    JSON.parse(
      await readFile(new URL(`../../testing/src/slack/__fixtures__/${name}`, import.meta.url), "utf8"),
    ) as unknown;

  it("reads a DM audio clip, an image in a channel, a reaction and a slash command as Slack sends them", async () => {
    await start({ commands: [{ name: "model", description: "Set the model", args: "<model>" }] });
    const clip = inbound.next();
    fake.replayEnvelope("events_api", await fixture("dm-audio-clip.event.json"));
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
    const image = inbound.next();
    fake.replayEnvelope("events_api", await fixture("channel-image.event.json"));
    expect(await image).toMatchObject({
      chatKind: "group",
      chatId: "C08TEAM001",
      mentionsBot: true,
      text: "what is on this?",
      media: [{ kind: "image", mimeType: "image/png", fileName: "whiteboard.png", sizeBytes: 183422 }],
    });
    const reaction = reactions.next();
    fake.replayEnvelope("events_api", await fixture("reaction-added.event.json"));
    expect(await reaction).toMatchObject({ emoji: "👍", onBotMessage: true, messageId: "1735733230.000300" });
    const command = inbound.next();
    fake.replayEnvelope("slash_commands", await fixture("slash-command.payload.json"));
    expect(await command).toMatchObject({ text: "/model gpt-5", nativeCommand: true, chatId: "C08TEAM001" });
  });
});
