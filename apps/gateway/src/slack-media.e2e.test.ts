import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayClient } from "@openclaw/client";
import {
  type FakeModelServer,
  type FakeSlackServer,
  startFakeModelServer,
  startFakeSlackServer,
  userImages,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MediaGateway, mediaModelConfig, modelSaw, startMediaGateway } from "./media-e2e-support.js";

const TOKEN = "a".repeat(64);
const OPEN_ACCESS = { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "open" };
const USER = "U0ALICE";
/** A valid 1x1 PNG: sniffed as image/png by content. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const png = new Uint8Array(Buffer.from(PNG_BASE64, "base64"));
/** The start of an M4A file (an `ftyp` box with the M4A brand), as Slack's audio clips are. */
const m4a = new Uint8Array(
  Buffer.concat([
    Buffer.from([0, 0, 0, 0x20]),
    Buffer.from("ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0", "binary"),
    Buffer.from("clip-bytes"),
  ]),
);

let stateDir: string;
let model: FakeModelServer;
let slack: FakeSlackServer;
let running: MediaGateway | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-slack-media-e2e-"));
  model = await startFakeModelServer();
  model.setDefaultReply({ text: "ok" });
  slack = await startFakeSlackServer();
  slack.addUser({ id: USER, name: "alice" });
  slack.addChannel({ id: "C0TEAM", name: "team" });
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await slack.close();
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function start(slackExtra: Record<string, unknown> = {}): Promise<GatewayClient> {
  running = await startMediaGateway({
    stateDir,
    token: TOKEN,
    channel: "slack",
    config: {
      ...mediaModelConfig({ model, stateDir }),
      channels: {
        slack: {
          botToken: slack.botToken,
          appToken: slack.appToken,
          apiUrl: slack.apiUrl,
          ...OPEN_ACCESS,
          ...slackExtra,
        },
      },
    },
    channelBackoff: { initialMs: 50, maxMs: 400 },
  });
  return running.client;
}

/** What a Slack user reads of a message: its latest text. */
const shown = () => slack.messages.filter((message) => message.user === slack.bot.userId && !message.deleted);

describe("Slack media through the gateway", () => {
  it("hands a photo to a vision model as an image part", async () => {
    await start();
    slack.sendDirectMessage({
      user: USER,
      text: "what is this?",
      files: [{ name: "dot.png", mimeType: "image/png", bytes: png }],
    });
    await slack.waitForPosted((posted) => posted.text === "ok");
    const request = model.requests.at(-1);
    if (request === undefined) throw new Error("the model got no request");
    expect(userImages(request, { lastOnly: true })).toMatchObject([
      { mediaType: "image/png", base64: PNG_BASE64 },
    ]);
    expect(modelSaw(model)).toContain("what is this?");
    expect(slack.downloads).toEqual([expect.objectContaining({ authorized: true })]);
  });

  it("transcribes an audio clip and gives the model the transcript", async () => {
    await start();
    model.transcriptions.setTranscript("please remind me to water the plants");
    slack.sendDirectMessage({
      user: USER,
      text: "",
      files: [
        { name: "audio_message.m4a", mimeType: "audio/mp4", bytes: m4a, clip: "audio", durationMs: 2000 },
      ],
    });
    const [transcription] = await model.transcriptions.waitForRequests(1);
    expect(transcription).toMatchObject({ model: "whisper-1" });
    expect(transcription?.file).toEqual(m4a);
    await slack.waitForPosted((posted) => posted.text === "ok");
    expect(modelSaw(model)).toContain("please remind me to water the plants");
  });

  it("gives the model a document's text, and acknowledges the mention with 👀", async () => {
    await start();
    const notes = "Quarterly numbers: revenue 42, costs 17.\n";
    const delivery = slack.sendChannelMessage({
      channel: "C0TEAM",
      user: USER,
      text: slack.mention("summarise"),
      files: [{ name: "notes.txt", mimeType: "text/plain", bytes: new TextEncoder().encode(notes) }],
    });
    await slack.waitForPosted((posted) => posted.channel === "C0TEAM" && posted.text === "ok");
    expect(modelSaw(model)).toContain("Quarterly numbers: revenue 42, costs 17.");
    await slack.waitForReactionCall(
      (call) => call.action === "add" && call.name === "eyes" && call.ts === delivery.ts,
    );
  });

  it("uploads an image the model names in a MEDIA: line", async () => {
    await start();
    model.setDefaultReply({ text: `Here is the chart.\nMEDIA: data:image/png;base64,${PNG_BASE64}` });
    slack.sendDirectMessage({ user: USER, text: "draw me a chart" });
    const upload = await slack.waitForUpload((entry) => entry.completed);
    expect(upload.bytes).toEqual(png);
    expect(upload.fileName).toMatch(/\.png$/);
    expect(upload.channel).toBe(slack.dmChannel(USER));
    await slack.waitForMessage(
      (message) => message.user === slack.bot.userId && message.text.includes("the chart"),
    );
    const all = shown()
      .map((message) => message.text)
      .join("\n");
    expect(all).toContain("Here is the chart.");
    expect(all).not.toContain("MEDIA:");
  });
});

describe("Slack drafts and commands through the gateway", () => {
  it("streams a long answer as one message edited several times, then the final chunks", async () => {
    await start({ streaming: "partial" });
    const paragraph = (letter: string) => `${letter.repeat(70)} `.repeat(20);
    const text = ["a", "b", "c", "d"].map(paragraph).join("\n\n");
    model.setDefaultReply({ text, chunks: text.match(/[\s\S]{1,300}/g) ?? [text], chunkDelayMs: 250 });
    slack.sendDirectMessage({ user: USER, text: "tell me a long story" });
    const draft = await slack.waitForMessage(
      (message) => message.user === slack.bot.userId && message.text.startsWith("a"),
      20_000,
    );
    const complete = () =>
      shown()
        .map((message) => message.text)
        .join("")
        .replace(/\s+/g, "") === text.replace(/\s+/g, "");
    await slack.waitForMessage(() => complete(), 40_000);
    expect(draft.history.length).toBeGreaterThanOrEqual(3);
    expect(shown().length).toBeGreaterThanOrEqual(2);
    for (const message of shown()) expect(message.text.length).toBeLessThanOrEqual(4000);
  });

  it("tells the agent about a reaction on its answer with the next turn", async () => {
    await start();
    slack.sendDirectMessage({ user: USER, text: "first question" });
    const [answer] = await slack.waitForPosted((posted) => posted.text === "ok");
    const { envelopeId } = slack.sendReaction({
      user: USER,
      channel: answer?.channel ?? "",
      ts: answer?.ts ?? "",
      reaction: "+1",
    });
    await slack.waitForAck(envelopeId);
    slack.sendDirectMessage({ user: USER, text: "second question" });
    await slack.waitForPosted((posted) => posted.text === "ok", { count: 2 });
    // The note waited in the transcript: the reaction alone started no turn.
    expect(model.requests).toHaveLength(2);
    expect(JSON.stringify(model.requests.at(-1)?.body.messages)).toContain("👍");
  });

  it("/stop typed aborts a running turn; /new as a slash command starts a fresh session", async () => {
    // OpenClaw leaves Slack's native commands off unless asked: a Slack app lists them in its manifest.
    const operator = await start({ commands: { native: true } });
    const slow = "a very slow answer ".repeat(50);
    model.setDefaultReply({ text: slow, chunkDelayMs: 200 });
    slack.sendDirectMessage({ user: USER, text: "start something slow" });
    await model.waitForRequests(1);
    // Typed: it must overtake the running turn rather than wait behind it.
    slack.sendDirectMessage({ user: USER, text: "/stop" });
    await slack.waitForPosted((posted) => posted.text.includes("Stopped"));
    expect(shown().some((message) => message.text.includes(slow.trim()))).toBe(false);

    const sessionOf = async () =>
      (await operator.request("sessions.list", {})).sessions.find((row) =>
        row.key.toLowerCase().includes(USER.toLowerCase()),
      );
    const before = await sessionOf();
    expect(before?.sessionId).toEqual(expect.any(String));
    // Native: Slack's slash command, acknowledged over Socket Mode before the gateway answers in the DM.
    const { envelopeId } = slack.sendSlashCommand({ command: "/new", user: USER });
    await slack.waitForAck(envelopeId);
    await slack.waitForPosted((posted) => posted.text.includes("New session started"));
    expect((await sessionOf())?.sessionId).not.toBe(before?.sessionId);
  });
});
