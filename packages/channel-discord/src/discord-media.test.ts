import { InboundMessageSchema, InboundReactionSchema, MediaTooLargeError } from "@openclaw/plugin-sdk";
import {
  type FakeDiscordServer,
  type FakeDiscordServerOptions,
  startFakeDiscordServer,
} from "@openclaw/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { DiscordAccountHandle } from "./discord-account.js";
import { DiscordConfigSchema } from "./discord-config.js";
import { createDiscordPlugin } from "./discord-plugin.js";
import { type AccountProbe, accountContext, alice, until } from "./discord-test-context.js";

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7, 6, 5, 4, 3, 2]);
const signal = () => AbortSignal.timeout(10_000);

let fake: FakeDiscordServer | undefined;
const plugin = createDiscordPlugin();
const handles: DiscordAccountHandle[] = [];

async function started(
  options: FakeDiscordServerOptions = {},
  extra: Parameters<typeof accountContext>[2] = {},
): Promise<{ server: FakeDiscordServer; probe: AccountProbe }> {
  const server = await startFakeDiscordServer(options);
  fake = server;
  const config = DiscordConfigSchema.parse({
    token: server.token,
    apiBaseUrl: server.apiBase,
    cdnBaseUrl: server.cdnBase,
  });
  const probe = accountContext(config, "default", extra);
  handles.push((await plugin.startAccount(probe.context)) as DiscordAccountHandle);
  return { server, probe };
}

const cdnRequests = (server: FakeDiscordServer) =>
  server.requests.filter((request) => request.path.startsWith("/attachments/"));

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await fake?.close();
  fake = undefined;
});

describe("discord inbound media", () => {
  it("turns an attachment-only message into media with lazy, capped downloads", async () => {
    const { server, probe } = await started();
    const arrived = probe.nextInbound();
    const text = new TextEncoder().encode("x".repeat(100));
    server.sendGuildMessage({
      author: alice,
      content: "",
      attachments: [
        { data: png, fileName: "cat.png", contentType: "image/png", width: 4 },
        { data: text, fileName: "notes.txt", contentType: "text/plain" },
        { data: png, fileName: "clip.mp4", contentType: "video/mp4" },
        // Declares less than it holds: the cap must still hold while reading.
        { data: text, fileName: "liar.txt", contentType: "text/plain", declaredSize: 10 },
      ],
    });
    const inbound = InboundMessageSchema.parse(await arrived);
    expect(inbound).toMatchObject({ text: "", chatKind: "group", chatId: server.channel.id });
    const [image, document, video, liar] = inbound.media ?? [];
    expect(inbound.media?.map((item) => item.kind)).toEqual(["image", "document", "video", "document"]);
    expect(image).toMatchObject({ mimeType: "image/png", fileName: "cat.png", sizeBytes: png.byteLength });
    expect(cdnRequests(server)).toEqual([]);

    expect(await image?.download({ maxBytes: 1000, signal: signal() })).toEqual(png);
    await expect(document?.download({ maxBytes: 50, signal: signal() })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
    // Refused on the declared size: no request reached the CDN for it.
    expect(cdnRequests(server)).toHaveLength(1);
    expect(video?.kind).toBe("video");
    await expect(liar?.download({ maxBytes: 50, signal: signal() })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
    expect(cdnRequests(server)).toHaveLength(2);
  });

  it("marks a voice message as voice with its duration, and a sticker as a sticker", async () => {
    const { server, probe } = await started();
    let arrived = probe.nextInbound();
    const ogg = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0]);
    server.sendDirectMessage({
      author: alice,
      content: "",
      attachments: [
        { data: ogg, fileName: "voice-message.ogg", contentType: "audio/ogg", voice: { durationSecs: 4.2 } },
      ],
    });
    const voice = InboundMessageSchema.parse(await arrived);
    expect(voice).toMatchObject({
      chatKind: "dm",
      media: [{ kind: "voice", durationSec: 4.2, mimeType: "audio/ogg" }],
    });
    expect(await voice.media?.[0]?.download({ maxBytes: 100, signal: signal() })).toEqual(ogg);

    arrived = probe.nextInbound();
    server.sendGuildMessage({ author: alice, content: "look", stickers: [{ name: "wave", data: png }] });
    const sticker = InboundMessageSchema.parse(await arrived);
    expect(sticker.media).toMatchObject([{ kind: "sticker", fileName: "wave.png", mimeType: "image/png" }]);
    expect(await sticker.media?.[0]?.download({ maxBytes: 100, signal: signal() })).toEqual(png);

    arrived = probe.nextInbound();
    server.sendDirectMessage({
      author: alice,
      content: "a song",
      attachments: [{ data: ogg, fileName: "song.mp3", contentType: "audio/mpeg" }],
    });
    expect((await arrived).media).toMatchObject([{ kind: "audio", fileName: "song.mp3" }]);
  });
});

describe("discord outbound media, edits and deletes", () => {
  it("declares media, edits, reactions and native commands", () => {
    expect(plugin.capabilities).toMatchObject({
      media: true,
      edits: true,
      reactions: true,
      nativeCommands: true,
      maxMediaBytes: 25 * 1024 * 1024,
    });
  });

  it("uploads a photo with its caption as a reply in a thread, and a voice note as an audio file", async () => {
    const { server, probe } = await started();
    server.sendThreadMessage({ threadId: "1500000000000000009", author: alice, content: "t" });
    const question = await probe.nextInbound();
    const photo = await plugin.sendMedia?.({
      accountId: "default",
      to: server.channel.id,
      threadId: "1500000000000000009",
      replyTo: question.platformMessageId,
      media: { data: png, mimeType: "image/png", fileName: "/tmp/work/chart.png", kind: "image" },
      caption: "the chart",
    });
    expect(server.messages[0]).toMatchObject({
      channelId: "1500000000000000009",
      content: "the chart",
      messageId: photo?.messageId,
      replyTo: question.platformMessageId,
      files: [{ name: "chart.png", data: png }],
    });
    await plugin.sendMedia?.({
      accountId: "default",
      to: alice.id,
      media: { data: new Uint8Array([1, 2, 3]), mimeType: "audio/ogg; codecs=opus", kind: "voice" },
    });
    expect(server.messages[1]).toMatchObject({
      channelId: server.dmChannelId(alice.id),
      content: "",
      files: [{ name: "voice.ogg", data: new Uint8Array([1, 2, 3]) }],
    });
  });

  it("splits a long caption, posts a URL-only medium as a link and refuses an oversized file", async () => {
    const { server } = await started({ maxUploadBytes: 1024 });
    await plugin.sendMedia?.({
      accountId: "default",
      to: server.channel.id,
      media: { data: png, mimeType: "application/pdf" },
      caption: `${"a".repeat(1500)}\n\n${"b".repeat(1500)}`,
    });
    expect(server.messages.map((message) => [message.content.slice(0, 1), message.files.length])).toEqual([
      ["a", 1],
      ["b", 0],
    ]);
    expect(server.messages[0]?.files[0]?.name).toBe("file.pdf");
    await plugin.sendMedia?.({
      accountId: "default",
      to: server.channel.id,
      media: { url: "https://example.com/a.png", mimeType: "image/png" },
      caption: "see",
    });
    expect(server.messages[2]?.content).toBe("see\nhttps://example.com/a.png");
    // Over the fake server's 1 KiB limit: Discord's 413 becomes DISCORD_MEDIA_TOO_LARGE.
    await expect(
      plugin.sendMedia?.({
        accountId: "default",
        to: server.channel.id,
        media: { data: new Uint8Array(2048), mimeType: "image/png" },
      }),
    ).rejects.toMatchObject({ code: "DISCORD_MEDIA_TOO_LARGE" });
    await expect(
      plugin.sendMedia?.({
        accountId: "default",
        to: server.channel.id,
        media: { data: new Uint8Array(26 * 1024 * 1024), mimeType: "video/mp4" },
      }),
    ).rejects.toMatchObject({
      code: "DISCORD_MEDIA_TOO_LARGE",
      message: expect.stringContaining("upload limit"),
    });
  });

  it("edits a message several times through a 429, then deletes it", async () => {
    const { server } = await started();
    const { messageId } = await plugin.sendText({ accountId: "default", to: alice.id, text: "Thinking" });
    server.rateLimitNext({ method: "PATCH", path: /\/messages\//, retryAfterMs: 100 });
    for (const text of ["Thinking.", "Thinking..", "Done"]) {
      await plugin.editText?.({ accountId: "default", to: alice.id, messageId, text });
    }
    expect(server.messages[0]?.edits.map((edit) => edit.content)).toEqual([
      "Thinking.",
      "Thinking..",
      "Done",
    ]);
    expect(server.requests.filter((request) => request.status === 429)).toHaveLength(1);
    await plugin.deleteMessage?.({ accountId: "default", to: alice.id, messageId });
    expect(server.messages[0]?.deletedAt).toEqual(expect.any(Number));
    await expect(
      plugin.editText?.({ accountId: "default", to: alice.id, messageId, text: "x" }),
    ).rejects.toMatchObject({ code: "DISCORD_API_ERROR", message: expect.stringContaining("404") });
  });
});

describe("discord reactions", () => {
  it("adds and removes the bot's reaction", async () => {
    const { server, probe } = await started();
    server.sendGuildMessage({ author: alice, content: "hi" });
    const { platformMessageId } = await probe.nextInbound();
    await plugin.react?.({
      accountId: "default",
      to: server.channel.id,
      messageId: platformMessageId,
      emoji: "👀",
    });
    await plugin.react?.({
      accountId: "default",
      to: server.channel.id,
      messageId: platformMessageId,
      emoji: "👀",
      remove: true,
    });
    expect(server.reactions).toMatchObject([
      { messageId: platformMessageId, emoji: "👀", action: "add" },
      { messageId: platformMessageId, emoji: "👀", action: "remove" },
    ]);
  });

  it("reports reactions on the bot's messages and others', added and removed, skipping its own", async () => {
    const { server, probe } = await started();
    const { messageId } = await plugin.sendText({
      accountId: "default",
      to: server.channel.id,
      text: "answer",
    });
    let arrived = probe.nextReaction();
    server.sendReaction({ channelId: server.channel.id, messageId, user: alice, emoji: "👍" });
    expect(InboundReactionSchema.parse(await arrived)).toEqual({
      channel: "discord",
      accountId: "default",
      peer: { id: server.channel.id, name: "general" },
      chatKind: "group",
      chatId: server.channel.id,
      sender: { id: alice.id, name: "Alice", username: "alice" },
      messageId,
      onBotMessage: true,
      emoji: "👍",
      removed: false,
      timestamp: expect.any(Number),
    });
    arrived = probe.nextReaction();
    server.sendReaction({ channelId: server.channel.id, messageId, user: alice, emoji: "👍", removed: true });
    expect(await arrived).toMatchObject({ messageId, removed: true, onBotMessage: true });

    server.sendDirectMessage({ author: alice, content: "mine" });
    const own = await probe.nextInbound();
    server.sendReaction({
      channelId: server.dmChannelId(alice.id),
      messageId: own.platformMessageId,
      user: server.bot,
      emoji: "✅",
    });
    arrived = probe.nextReaction();
    server.sendReaction({
      channelId: server.dmChannelId(alice.id),
      messageId: own.platformMessageId,
      user: alice,
      emoji: { name: "party", id: "1600000000000000001" },
    });
    expect(await arrived).toMatchObject({
      chatKind: "dm",
      peer: { id: alice.id },
      onBotMessage: false,
      emoji: "party",
    });
    expect(probe.reactions).toHaveLength(3);
  });
});

describe("discord native commands", () => {
  const commands = [
    { name: "status", description: "Show the session's model and usage" },
    { name: "model", description: "Switch the model", args: "<model>" },
    { name: "Bad Name!", description: "not a Discord command name" },
  ];

  it("registers the gateway's commands and turns invocations into acknowledged inbound commands", async () => {
    const { server, probe } = await started({}, { commands });
    const [registration] = await server.waitFor("command registration", () =>
      server.commandRegistrations.length > 0 ? server.commandRegistrations : undefined,
    );
    expect(registration?.commands).toMatchObject([
      { name: "status", description: "Show the session's model and usage" },
      { name: "model", options: [{ type: 3, name: "args", description: "<model>", required: false }] },
    ]);
    expect(probe.logs).toContainEqual(
      expect.objectContaining({ level: "warn", fields: { command: "Bad Name!" } }),
    );

    let arrived = probe.nextInbound();
    const { id } = server.sendInteraction({ user: alice, name: "model", options: { args: "gpt-5" } });
    expect(InboundMessageSchema.parse(await arrived)).toMatchObject({
      chatKind: "group",
      chatId: server.channel.id,
      text: "/model gpt-5",
      nativeCommand: true,
      mentionsBot: true,
      platformMessageId: id,
      sender: { id: alice.id },
    });
    expect(server.interactionResponses[0]).toMatchObject({
      interactionId: id,
      kind: "callback",
      type: 4,
      data: { content: "`/model gpt-5`", flags: 64 },
    });

    arrived = probe.nextInbound();
    server.sendInteraction({ user: alice, name: "status", dm: true });
    expect(await arrived).toMatchObject({
      chatKind: "dm",
      peer: { id: alice.id },
      text: "/status",
      nativeCommand: true,
    });
  });

  it("keeps running when Discord refuses the commands, and registers none without ctx.commands", async () => {
    const { server, probe } = await started({ commandRegistrationStatus: 500 }, { commands });
    await server.waitFor("a registration attempt", () => server.commandRegistrations.at(0));
    await until("the warning", () =>
      probe.logs.find((log) => log.message.includes("could not register application commands")),
    );
    const arrived = probe.nextInbound();
    server.sendDirectMessage({ author: alice, content: "still here" });
    expect((await arrived).text).toBe("still here");
    await handles.pop()?.stop();
    await fake?.close();

    const quiet = await started();
    await plugin.sendText({ accountId: "default", to: quiet.server.channel.id, text: "x" });
    expect(quiet.server.commandRegistrations).toEqual([]);
  });
});
