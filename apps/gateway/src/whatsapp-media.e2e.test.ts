import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWhatsAppPlugin } from "@openclaw/channel-whatsapp";
import type { GatewayClient } from "@openclaw/client";
import { PluginRegistry } from "@openclaw/gateway-core";
import {
  createFakeWhatsAppSocketFactory,
  DEFAULT_FAKE_WHATSAPP_USER,
  type FakeModelServer,
  type FakeWhatsAppSocket,
  type FakeWhatsAppSocketFactory,
  startFakeModelServer,
  userImages,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MediaGateway, mediaModelConfig, modelSaw, startMediaGateway } from "./media-e2e-support.js";

/*
 * The real WhatsApp adapter in the real gateway, on the fake Baileys socket (WhatsApp's protocol cannot be served on
 * loopback). Inbound files are real: the fake's CDN serves them encrypted as WhatsApp does, and the adapter
 * downloads, checks and decrypts them before the gateway's media pipeline sees them.
 */
const TOKEN = "w".repeat(64);
const DANA = "15557654321@s.whatsapp.net";
const DANA_ID = "15557654321";
const TEAM = "120363424282127706@g.us";
const BOT_JID = "15550001111@s.whatsapp.net";
/** A valid 1x1 PNG: sniffed as image/png by content, whatever WhatsApp's message claims (photos say JPEG). */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const png = new Uint8Array(Buffer.from(PNG_BASE64, "base64"));

let stateDir: string;
let model: FakeModelServer;
let sockets: FakeWhatsAppSocketFactory;
let running: MediaGateway | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-whatsapp-media-e2e-"));
  model = await startFakeModelServer();
  model.setDefaultReply({ text: "ok" });
  // Linked before the test, as after an earlier QR scan: the socket opens at once.
  sockets = createFakeWhatsAppSocketFactory({ linkedAs: DEFAULT_FAKE_WHATSAPP_USER });
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await sockets.close();
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function start(
  whatsappExtra: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Promise<{ operator: GatewayClient; socket: FakeWhatsAppSocket }> {
  const plugins = new PluginRegistry();
  plugins.registerChannel(createWhatsAppPlugin({ makeSocket: sockets.makeSocket }));
  running = await startMediaGateway({
    stateDir,
    token: TOKEN,
    channel: "whatsapp",
    config: {
      ...mediaModelConfig({ model, stateDir }),
      channels: {
        whatsapp: {
          authDir: join(stateDir, "credentials", "whatsapp", "default"),
          dmPolicy: "open",
          allowFrom: ["*"],
          groupPolicy: "open",
          ...whatsappExtra,
        },
      },
      ...extra,
    },
    plugins,
  });
  return { operator: running.client, socket: await sockets.socket(0) };
}

const textsTo = (socket: FakeWhatsAppSocket, jid: string) =>
  socket.sent.filter((sent) => sent.jid === jid).map((sent) => sent.text);
const waitForText = (socket: FakeWhatsAppSocket, jid: string, pattern: RegExp) =>
  expect.poll(() => textsTo(socket, jid).some((text) => pattern.test(text))).toBe(true);

describe("WhatsApp media through the gateway", () => {
  it("hands a photo to a vision model as an image part, with its caption", async () => {
    const { socket } = await start();
    await socket.receiveMedia({
      from: DANA,
      kind: "image",
      data: png,
      caption: "what is this?",
      pushName: "Dana",
    });
    await waitForText(socket, DANA, /^ok$/);
    const request = model.requests.at(-1);
    if (request === undefined) throw new Error("the model got no request");
    expect(userImages(request, { lastOnly: true })).toMatchObject([
      { mediaType: "image/png", base64: PNG_BASE64 },
    ]);
    expect(modelSaw(model)).toContain("what is this?");
    expect(socket.mediaCdn.requests).toHaveLength(1);
  });

  it("transcribes a voice note and gives the model the transcript", async () => {
    const { socket } = await start();
    model.transcriptions.setTranscript("please remind me to water the plants");
    const ogg = new Uint8Array(Buffer.from("OggS\0\u0002\0\0\0\0\0\0\0\0voice-bytes", "binary"));
    await socket.receiveMedia({ from: DANA, kind: "voice", data: ogg, seconds: 2 });
    const [transcription] = await model.transcriptions.waitForRequests(1);
    expect(transcription).toMatchObject({ model: "whisper-1" });
    expect(transcription?.file).toEqual(ogg);
    await waitForText(socket, DANA, /^ok$/);
    expect(modelSaw(model)).toContain("please remind me to water the plants");
  });

  it("gives the model a document's text, from a group message whose caption mentions the bot", async () => {
    const { socket } = await start({ groups: { "*": { requireMention: true } } });
    const notes = "Quarterly numbers: revenue 42, costs 17.\n";
    await socket.receiveMedia({
      from: DANA,
      group: TEAM,
      kind: "document",
      data: new TextEncoder().encode(notes),
      mimetype: "text/plain",
      fileName: "notes.txt",
      caption: "@15550001111 summarise",
      mentions: [BOT_JID],
    });
    await waitForText(socket, TEAM, /^ok$/);
    expect(modelSaw(model)).toContain("Quarterly numbers: revenue 42, costs 17.");
  });

  it("sends an image the model names in a MEDIA: line as a WhatsApp photo", async () => {
    const { socket } = await start();
    model.setDefaultReply({ text: `Here is the chart.\nMEDIA: data:image/png;base64,${PNG_BASE64}` });
    socket.receiveText({ from: DANA, text: "draw me a chart" });
    await expect.poll(() => socket.sentMedia.length).toBeGreaterThan(0);
    const [photo] = socket.sentMedia;
    expect(photo).toMatchObject({ jid: DANA, kind: "image", mimetype: "image/png" });
    expect(photo?.data).toEqual(png);
    const shown = [...textsTo(socket, DANA), ...socket.sentMedia.map((media) => media.caption ?? "")].join(
      "\n",
    );
    expect(shown).toContain("Here is the chart.");
    expect(shown).not.toContain("MEDIA:");
  });
});

describe("WhatsApp blocks, commands and reactions through the gateway", () => {
  it("streams a long answer as blocks while the model writes (the adapter cannot edit), each within the text limit", async () => {
    const { socket } = await start({ streaming: "partial" });
    const paragraph = (letter: string) => `${letter.repeat(60)} `.repeat(33).trim();
    const text = `${paragraph("a")}\n\n${paragraph("b")}\n\n${paragraph("c")}`;
    model.setDefaultReply({ text, chunks: text.match(/[\s\S]{1,200}/g) ?? [text], chunkDelayMs: 150 });
    socket.receiveText({ from: DANA, text: "tell me a long story" });
    const shown = () => textsTo(socket, DANA).join("").replace(/\s+/g, "");
    await expect.poll(() => textsTo(socket, DANA).length).toBeGreaterThan(0);
    // The first block is out while the model is still writing: the whole answer is not there yet.
    expect(shown()).not.toBe(text.replace(/\s+/g, ""));
    await expect.poll(shown).toBe(text.replace(/\s+/g, ""));
    const blocks = textsTo(socket, DANA);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(block.length).toBeLessThanOrEqual(4096);
  });

  it("/stop aborts a running turn and /new starts a fresh session, typed as plain text", async () => {
    const { operator, socket } = await start();
    const slow = "a very slow answer ".repeat(50);
    model.setDefaultReply({ text: slow, chunkDelayMs: 200 });
    socket.receiveText({ from: DANA, text: "start something slow" });
    await model.waitForRequests(1);
    // It must overtake the running turn rather than wait behind it.
    socket.receiveText({ from: DANA, text: "/stop" });
    await waitForText(socket, DANA, /Stopped/);
    expect(textsTo(socket, DANA).some((text) => text.includes(slow.trim()))).toBe(false);

    const sessionOf = async () =>
      (await operator.request("sessions.list", {})).sessions.find((row) => row.key.includes(DANA_ID));
    const before = await sessionOf();
    expect(before?.sessionId).toEqual(expect.any(String));
    socket.receiveText({ from: DANA, text: "/new" });
    await waitForText(socket, DANA, /New session started/);
    expect((await sessionOf())?.sessionId).not.toBe(before?.sessionId);
  });

  it("acknowledges a message with a reaction", async () => {
    const { socket } = await start({}, { messages: { ackReaction: "👀", ackReactionScope: "all" } });
    const question = socket.receiveText({ from: DANA, text: "hello" });
    await waitForText(socket, DANA, /^ok$/);
    await expect
      .poll(() =>
        socket.reactions.filter((reaction) => reaction.emoji === "👀").map((reaction) => reaction.key),
      )
      .toContainEqual(question.key);
  });

  it("tells the agent, with its next turn, about a reaction on its answer", async () => {
    const { operator, socket } = await start();
    socket.receiveText({ from: DANA, text: "hello" });
    await waitForText(socket, DANA, /^ok$/);
    const answer = socket.sent.find((sent) => sent.jid === DANA && sent.text === "ok");
    socket.receiveReaction({
      from: DANA,
      target: { id: answer?.messageId ?? "", fromMe: true },
      emoji: "🔥",
    });
    const sessions = await operator.request("sessions.list", {});
    const sessionKey = sessions.sessions.find((row) => row.key.includes(DANA_ID))?.key ?? "";
    await expect
      .poll(async () => JSON.stringify(await operator.request("chat.history", { sessionKey })))
      .toContain("🔥");
    socket.receiveText({ from: DANA, text: "and now?" });
    await expect.poll(() => model.requests.length).toBe(2);
    expect(JSON.stringify(model.requests[1]?.body.messages)).toContain("🔥");
  });
});
