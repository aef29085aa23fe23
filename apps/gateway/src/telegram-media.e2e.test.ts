import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayClient } from "@openclaw/client";
import {
  type FakeModelServer,
  type FakeTelegramSent,
  type FakeTelegramServer,
  lastUserText,
  startFakeModelServer,
  startFakeTelegramServer,
  userImages,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type MediaGateway, mediaModelConfig, modelSaw, startMediaGateway } from "./media-e2e-support.js";

const TOKEN = "t".repeat(64);
const OPEN_ACCESS = { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "open" };
const ALICE = { id: 2001, first_name: "Alice", username: "alice" };
const DM_ALICE = { id: 2001, type: "private" as const };
const GROUP = { id: -100700, type: "supergroup" as const, title: "Team" };
/** A valid 1x1 PNG: sniffed as image/png by content, whatever Telegram claims (photos are "JPEG"). */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const png = new Uint8Array(Buffer.from(PNG_BASE64, "base64"));

let stateDir: string;
let model: FakeModelServer;
let telegram: FakeTelegramServer;
let running: MediaGateway | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-telegram-media-e2e-"));
  model = await startFakeModelServer();
  model.setDefaultReply({ text: "ok" });
  telegram = await startFakeTelegramServer();
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await telegram.close();
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function start(
  telegramExtra: Record<string, unknown> = {},
  extraConfig: Record<string, unknown> = {},
): Promise<GatewayClient> {
  running = await startMediaGateway({
    stateDir,
    token: TOKEN,
    channel: "telegram",
    config: {
      ...mediaModelConfig({ model, stateDir }),
      channels: {
        telegram: {
          botToken: telegram.token,
          apiRoot: telegram.apiRoot,
          pollTimeoutSeconds: 1,
          ...OPEN_ACCESS,
          ...telegramExtra,
        },
      },
      ...extraConfig,
    },
    channelBackoff: { initialMs: 50, maxMs: 400 },
  });
  return running.client;
}

const textTo = (chatId: number, pattern: RegExp) => (sent: FakeTelegramSent) =>
  sent.method === "sendMessage" && sent.chatId === String(chatId) && pattern.test(sent.text ?? "");

describe("Telegram media through the gateway", () => {
  it("hands a photo to a vision model as an image part, with its caption", async () => {
    await start();
    telegram.sendMediaMessage({
      chat: DM_ALICE,
      from: ALICE,
      kind: "photo",
      bytes: png,
      caption: "what is this?",
    });
    await telegram.waitForSent(textTo(DM_ALICE.id, /^ok$/));
    const request = model.requests.at(-1);
    if (request === undefined) throw new Error("the model got no request");
    expect(userImages(request, { lastOnly: true })).toMatchObject([
      { mediaType: "image/png", base64: PNG_BASE64 },
    ]);
    expect(modelSaw(model)).toContain("what is this?");
    expect(telegram.downloads).toHaveLength(1);
  });

  it("transcribes a voice note and gives the model the transcript", async () => {
    await start();
    model.transcriptions.setTranscript("please remind me to water the plants");
    const ogg = new Uint8Array(Buffer.from("OggS\0\u0002\0\0\0\0\0\0\0\0voice-bytes", "binary"));
    telegram.sendMediaMessage({ chat: DM_ALICE, from: ALICE, kind: "voice", bytes: ogg, durationSec: 2 });
    const [transcription] = await model.transcriptions.waitForRequests(1);
    expect(transcription).toMatchObject({ model: "whisper-1" });
    expect(transcription?.file).toEqual(ogg);
    await telegram.waitForSent(textTo(DM_ALICE.id, /^ok$/));
    expect(modelSaw(model)).toContain("please remind me to water the plants");
  });

  it("gives the model a document's text, from a group message whose caption mentions the bot", async () => {
    await start({ groups: { "*": { requireMention: true } } });
    const notes = "Quarterly numbers: revenue 42, costs 17.\n";
    const caption = telegram.mentionText("summarise");
    telegram.sendMediaMessage({
      chat: GROUP,
      from: ALICE,
      kind: "document",
      bytes: new TextEncoder().encode(notes),
      fileName: "notes.txt",
      caption: caption.text,
      captionEntities: caption.entities,
    });
    await telegram.waitForSent(textTo(GROUP.id, /^ok$/));
    expect(modelSaw(model)).toContain("Quarterly numbers: revenue 42, costs 17.");
  });

  it("uploads an image the model names in a MEDIA: line", async () => {
    await start();
    model.setDefaultReply({ text: `Here is the chart.\nMEDIA: data:image/png;base64,${PNG_BASE64}` });
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "draw me a chart" });
    const [upload] = await telegram.waitForSent(
      (sent) => sent.method === "sendPhoto" && sent.upload !== undefined,
    );
    expect(upload?.upload?.bytes).toEqual(png);
    expect(upload?.upload?.fileName).toMatch(/\.png$/);
    const shown = telegram.sent.map((sent) => `${sent.text ?? ""}${sent.caption ?? ""}`).join("\n");
    expect(shown.replaceAll("\\", "")).toContain("Here is the chart.");
    expect(shown).not.toContain("MEDIA:");
  });
});

describe("Telegram drafts and commands through the gateway", () => {
  it("streams a long answer as one message edited several times, then the final chunks", async () => {
    await start({ streaming: "partial" });
    const paragraph = (letter: string) => `${letter.repeat(60)} `.repeat(33).trim();
    const text = `${paragraph("a")}\n\n${paragraph("b")}\n\n${paragraph("c")}`;
    model.setDefaultReply({ text, chunks: text.match(/[\s\S]{1,200}/g) ?? [text], chunkDelayMs: 150 });
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "tell me a long story" });
    const [draft] = await telegram.waitForSent(textTo(DM_ALICE.id, /^a/));
    const draftId = draft?.messageId ?? 0;
    const shownNow = () => {
      const others = telegram.sent.filter(
        (sent) =>
          sent.method === "sendMessage" && sent.chatId === String(DM_ALICE.id) && sent.messageId !== draftId,
      );
      const draftText = telegram.textHistory(DM_ALICE.id, draftId).at(-1) ?? "";
      return [draftText, ...others.map((sent) => sent.text ?? "")].join("").replace(/\s+/g, "");
    };
    await pollUntil(
      "the final text showing",
      () => shownNow(),
      (shown) => shown === text.replace(/\s+/g, ""),
    );
    expect(telegram.textHistory(DM_ALICE.id, draftId).length).toBeGreaterThanOrEqual(3);
    const messages = telegram.sent.filter(
      (sent) => sent.method === "sendMessage" && sent.chatId === String(DM_ALICE.id),
    );
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const sent of telegram.sent) expect((sent.text ?? "").length).toBeLessThanOrEqual(4096);
  });

  it("registers the command menu; /stop aborts a running turn and /new starts a fresh session", async () => {
    const operator = await start();
    await pollUntil(
      "the command menu (setMyCommands)",
      () => telegram.commands,
      (menu) => menu.length > 0,
    );
    expect(telegram.commands.map((command) => command.command)).toEqual(
      expect.arrayContaining(["new", "stop", "status"]),
    );

    const slow = "a very slow answer ".repeat(50);
    model.setDefaultReply({ text: slow, chunkDelayMs: 200 });
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "start something slow" });
    await model.waitForRequests(1);
    // It must overtake the running turn rather than wait behind it.
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "/stop" });
    await telegram.waitForSent(textTo(DM_ALICE.id, /Stopped/));
    expect(telegram.sent.some((sent) => (sent.text ?? "").includes(slow.trim()))).toBe(false);

    const sessionOf = async () =>
      (await operator.request("sessions.list", {})).sessions.find((row) =>
        row.key.includes(String(ALICE.id)),
      );
    const before = await sessionOf();
    expect(before?.sessionId).toEqual(expect.any(String));
    // Picked from the menu in a group chat, Telegram appends the bot's name.
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "/new@openclaw_test_bot" });
    await telegram.waitForSent(textTo(DM_ALICE.id, /New session started/));
    expect((await sessionOf())?.sessionId).not.toBe(before?.sessionId);
  });

  it("tells the agent about a reaction on its answer with the next turn", async () => {
    await start();
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "first question" });
    const [answer] = await telegram.waitForSent(textTo(DM_ALICE.id, /^ok$/));
    const reaction = telegram.sendReaction({
      chat: DM_ALICE,
      from: ALICE,
      messageId: answer?.messageId ?? 0,
      reaction: ["👍"],
    });
    // The adapter confirms an update (a later getUpdates offset) once the gateway took it.
    await telegram.waitForCall(
      (call) => call.method === "getUpdates" && Number(call.body.offset) > reaction.update_id,
    );
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "second question" });
    await telegram.waitForSent(textTo(DM_ALICE.id, /^ok$/), { count: 2 });
    // The note waits in the transcript: the reaction alone starts no turn. A turn it started would run before the
    // second question's (one run at a time per session), so exactly two model requests prove it, with no sleep.
    expect(model.requests.map(lastUserText)).toEqual([
      expect.stringContaining("first question"),
      expect.stringContaining("second question"),
    ]);
    expect(JSON.stringify(model.requests.at(-1)?.body.messages)).toContain("👍");
  });

  it("acknowledges a message with a reaction while answering, and takes it off after (messages.ackReaction)", async () => {
    await start({}, { messages: { ackReaction: "👀", ackReactionScope: "all", removeAckAfterReply: true } });
    const { message } = telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "are you there?" });
    await telegram.waitForSent(textTo(DM_ALICE.id, /^ok$/));
    const [ack] = await telegram.waitForSent(
      (sent) => sent.method === "setMessageReaction" && sent.messageId === message.message_id,
    );
    expect(ack?.reaction).toEqual(["👀"]);
    await telegram.waitForSent(
      (sent) => sent.method === "setMessageReaction" && sent.messageId === message.message_id,
      { count: 2 },
    );
    expect(telegram.botReactions(DM_ALICE.id, message.message_id)).toEqual([]);
  });
});
