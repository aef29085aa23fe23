import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayClient } from "@openclaw/client";
import {
  type FakeDiscordServer,
  type FakeModelServer,
  lastUserText,
  startFakeDiscordServer,
  startFakeModelServer,
  userImages,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MediaGateway, mediaModelConfig, modelSaw, startMediaGateway } from "./media-e2e-support.js";

const TOKEN = "a".repeat(64);
const OPEN_ACCESS = { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "open" };
const author = { id: "555000111", username: "alice" };
/** A valid 1x1 PNG: sniffed as image/png by content. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const png = new Uint8Array(Buffer.from(PNG_BASE64, "base64"));

/** The first page of an Ogg/Opus stream (what Discord voice messages are): enough for content sniffing. */
function oggOpus(): Uint8Array {
  const page = Buffer.alloc(28);
  page.write("OggS", 0, "latin1");
  page[5] = 2; // beginning of stream
  page.writeUInt32LE(1, 14); // serial number
  page[26] = 1; // one segment…
  page[27] = 19; // …of 19 bytes: the OpusHead packet
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head[8] = 1; // version
  head[9] = 1; // mono
  head.writeUInt16LE(312, 10); // pre-skip
  head.writeUInt32LE(48_000, 12); // input sample rate
  return new Uint8Array(Buffer.concat([page, head]));
}

let stateDir: string;
let model: FakeModelServer;
let discord: FakeDiscordServer;
let running: MediaGateway | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-discord-media-e2e-"));
  model = await startFakeModelServer();
  model.setDefaultReply({ text: "ok" });
  discord = await startFakeDiscordServer();
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await discord.close();
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function start(
  discordExtra: Record<string, unknown> = {},
  extraConfig: Record<string, unknown> = {},
): Promise<GatewayClient> {
  running = await startMediaGateway({
    stateDir,
    token: TOKEN,
    channel: "discord",
    config: {
      ...mediaModelConfig({ model, stateDir }),
      channels: {
        discord: {
          token: discord.token,
          apiBaseUrl: discord.apiBase,
          cdnBaseUrl: discord.cdnBase,
          ...OPEN_ACCESS,
          ...discordExtra,
        },
      },
      ...extraConfig,
    },
    channelBackoff: { initialMs: 50, maxMs: 400 },
  });
  return running.client;
}

describe("Discord media through the gateway", () => {
  it("hands a photo to a vision model as an image part", async () => {
    await start();
    discord.sendDirectMessage({
      author,
      content: "what is this?",
      attachments: [{ data: png, fileName: "dot.png", contentType: "image/png", width: 1 }],
    });
    await discord.waitForMessages((message) => message.content === "ok");
    const request = model.requests.at(-1);
    if (request === undefined) throw new Error("the model got no request");
    expect(userImages(request, { lastOnly: true })).toMatchObject([
      { mediaType: "image/png", base64: PNG_BASE64 },
    ]);
    expect(modelSaw(model)).toContain("what is this?");
  });

  it("transcribes a voice message and gives the model the transcript", async () => {
    await start();
    model.transcriptions.setTranscript("please remind me to water the plants");
    const ogg = oggOpus();
    discord.sendDirectMessage({
      author,
      content: "",
      attachments: [
        { data: ogg, fileName: "voice-message.ogg", contentType: "audio/ogg", voice: { durationSecs: 2 } },
      ],
    });
    const [transcription] = await model.transcriptions.waitForRequests(1);
    expect(transcription).toMatchObject({ model: "whisper-1" });
    expect(transcription?.file).toEqual(ogg);
    await discord.waitForMessages((message) => message.content === "ok");
    expect(modelSaw(model)).toContain("please remind me to water the plants");
  });

  it("gives the model a document's text", async () => {
    await start();
    const notes = "Quarterly numbers: revenue 42, costs 17.\n";
    discord.sendGuildMessage({
      author,
      content: "summarise",
      mentionBot: true,
      attachments: [
        { data: new TextEncoder().encode(notes), fileName: "notes.txt", contentType: "text/plain" },
      ],
    });
    await discord.waitForMessages((message) => message.content === "ok");
    expect(modelSaw(model)).toContain("Quarterly numbers: revenue 42, costs 17.");
  });

  it("uploads an image the model names in a MEDIA: line", async () => {
    await start();
    model.setDefaultReply({ text: `Here is the chart.\nMEDIA: data:image/png;base64,${PNG_BASE64}` });
    discord.sendDirectMessage({ author, content: "draw me a chart" });
    const [upload] = await discord.waitForMessages((message) => message.files.length > 0);
    expect(upload?.files[0]?.data).toEqual(png);
    expect(upload?.files[0]?.name).toMatch(/\.png$/);
    const all = discord.messages.map((message) => message.content).join("\n");
    expect(all).toContain("Here is the chart.");
    expect(all).not.toContain("MEDIA:");
  });
});

describe("Discord drafts and commands through the gateway", () => {
  it("streams a long answer as one message edited several times, then the final chunks", async () => {
    await start({ streaming: "partial" });
    const paragraph = (letter: string) => `${letter.repeat(60)} `.repeat(20);
    const text = `${paragraph("a")}\n\n${paragraph("b")}\n\n${paragraph("c")}`;
    model.setDefaultReply({ text, chunks: text.match(/[\s\S]{1,120}/g) ?? [text], chunkDelayMs: 150 });
    discord.sendDirectMessage({ author, content: "tell me a long story" });
    const [draft] = await discord.waitForMessages((message) => message.content.startsWith("a"));
    await discord.waitFor("the draft's final edit and the remaining chunks", () => {
      const finals = discord.messages.filter((message) => message.messageId !== draft?.messageId);
      const shown = [
        draft?.edits.at(-1)?.content ?? draft?.content,
        ...finals.map((message) => message.content),
      ];
      return shown.join("").replace(/\s+/g, "") === text.replace(/\s+/g, "") ? true : undefined;
    });
    expect(draft?.edits.length).toBeGreaterThanOrEqual(2);
    expect(discord.messages.length).toBeGreaterThanOrEqual(2);
    for (const message of discord.messages) {
      expect((message.edits.at(-1)?.content ?? message.content).length).toBeLessThanOrEqual(2000);
    }
  });

  it("tells the agent about a reaction on its answer with the next turn", async () => {
    await start();
    discord.sendDirectMessage({ author, content: "first question" });
    const [answer] = await discord.waitForMessages((message) => message.content === "ok");
    discord.sendReaction({
      channelId: discord.dmChannelId(author.id),
      messageId: answer?.messageId ?? "",
      user: author,
      emoji: "👍",
    });
    discord.sendDirectMessage({ author, content: "second question" });
    await discord.waitForMessages((message) => message.content === "ok", { count: 2 });
    // The note waits in the transcript: the reaction alone starts no turn. A turn it started would run before the
    // second question's (one run at a time per session), so exactly two model requests prove it, with no sleep.
    expect(model.requests.map(lastUserText)).toEqual([
      expect.stringContaining("first question"),
      expect.stringContaining("second question"),
    ]);
    expect(JSON.stringify(model.requests.at(-1)?.body.messages)).toContain("👍");
  });

  it("acknowledges a message with a reaction while answering (messages.ackReaction)", async () => {
    await start({}, { messages: { ackReaction: "👀", ackReactionScope: "all" } });
    const inbound = discord.sendDirectMessage({ author, content: "are you there?" });
    await discord.waitForMessages((message) => message.content === "ok");
    const acks = await discord.waitFor("the ack reaction", () =>
      discord.reactions.some((reaction) => reaction.messageId === inbound.id) ? discord.reactions : undefined,
    );
    expect(acks[0]).toMatchObject({ messageId: inbound.id, emoji: "👀", action: "add" });
  });

  it("registers slash commands; /stop aborts a running turn and /new starts a fresh session", async () => {
    const operator = await start();
    const registration = await discord.waitFor("command registration", () =>
      discord.commandRegistrations.at(0),
    );
    expect(registration.commands.map((command) => command.name)).toEqual(
      expect.arrayContaining(["new", "stop", "status"]),
    );

    const slow = "a very slow answer ".repeat(50);
    model.setDefaultReply({ text: slow, chunkDelayMs: 200 });
    discord.sendDirectMessage({ author, content: "start something slow" });
    await model.waitForRequests(1);
    // Typed: it must overtake the running turn rather than wait behind it.
    discord.sendDirectMessage({ author, content: "/stop" });
    await discord.waitForMessages((message) => message.content.includes("Stopped"));
    expect(discord.messages.some((message) => message.content.includes(slow.trim()))).toBe(false);

    const sessionOf = async () =>
      (await operator.request("sessions.list", {})).sessions.find((row) => row.key.includes(author.id));
    const before = await sessionOf();
    expect(before?.sessionId).toEqual(expect.any(String));
    // Native: a slash command from the command list, acknowledged through the interaction callback.
    discord.sendInteraction({ user: author, name: "new", dm: true });
    await discord.waitForMessages((message) => message.content.includes("New session started"));
    expect(discord.interactionResponses).toMatchObject([{ kind: "callback", type: 4 }]);
    expect((await sessionOf())?.sessionId).not.toBe(before?.sessionId);
  });
});
