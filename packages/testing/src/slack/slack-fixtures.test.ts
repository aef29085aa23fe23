import { readFile } from "node:fs/promises";
import { LogLevel, SocketModeClient } from "@slack/socket-mode";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeSlackServer } from "./fake-slack-server.js";
import type { FakeSlackServer } from "./fake-slack-types.js";
import type { SlackEventCallback } from "./slack-objects.js";

const loadFixture = async (name: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

/**
 * The key paths (with value types) of a payload where the fake's and the fixture's differ: every key the fake sends
 * must be one Slack sends too, with the same type. Slack sends more (thumbnails, transcripts, blocks), never less
 * of what the fake has.
 */
function notInSlack(fake: unknown, real: unknown, path = ""): string[] {
  if (Array.isArray(fake))
    return fake.flatMap((item) => notInSlack(item, (real as unknown[])?.[0], `${path}[]`));
  if (typeof fake === "object" && fake !== null) {
    if (typeof real !== "object" || real === null) return [`${path}: object, Slack has ${typeof real}`];
    return Object.entries(fake).flatMap(([key, value]) =>
      key in real
        ? notInSlack(value, (real as Record<string, unknown>)[key], `${path}.${key}`)
        : [`${path}.${key}: not in Slack's payload`],
    );
  }
  return typeof fake === typeof real ? [] : [`${path}: ${typeof fake}, Slack has ${typeof real}`];
}

let fake: FakeSlackServer;
let client: SocketModeClient | undefined;

beforeEach(async () => {
  fake = await startFakeSlackServer();
});

afterEach(async () => {
  await client?.disconnect();
  client = undefined;
  await fake.close();
});

describe("the fake's Slack payloads against recorded shapes (__fixtures__)", () => {
  it("a DM audio clip", async () => {
    const real = await loadFixture("dm-audio-clip.event.json");
    const built = fake.directMessageEvent({
      user: "U08ALICE01",
      text: "",
      files: [
        {
          name: "audio_message.m4a",
          mimeType: "audio/mp4",
          bytes: new Uint8Array(3),
          clip: "audio",
          durationMs: 2760,
        },
      ],
    });
    expect(notInSlack(built, real)).toEqual([]);
  });

  it("an image shared in a channel", async () => {
    const real = await loadFixture("channel-image.event.json");
    const built = fake.channelMessageEvent({
      channel: "C08TEAM001",
      user: "U08ALICE01",
      text: fake.mention("what is on this?"),
      files: [{ name: "whiteboard.png", mimeType: "image/png", bytes: new Uint8Array(3) }],
    });
    expect(notInSlack(built, real)).toEqual([]);
  });

  it("a reaction on the bot's message and a slash command", async () => {
    client = new SocketModeClient({
      appToken: fake.appToken,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const reaction = new Promise<SlackEventCallback>((resolve) => {
      client?.on(
        "reaction_added",
        async ({ ack, body }: { ack: () => Promise<void>; body: SlackEventCallback }) => {
          await ack();
          resolve(body);
        },
      );
    });
    await client.start();
    fake.sendReaction({ user: "U08ALICE01", channel: "C08TEAM001", ts: "1735733230.000300", reaction: "+1" });
    expect(notInSlack(await reaction, await loadFixture("reaction-added.event.json"))).toEqual([]);
    const command = fake.slashCommandBody({
      command: "/model",
      text: "gpt-5",
      user: "U08ALICE01",
      channel: "C08TEAM001",
    });
    const real = await loadFixture("slash-command.payload.json");
    expect(Object.keys(command).sort()).toEqual(Object.keys(real).sort());
    expect(notInSlack(command, real)).toEqual([]);
  });
});
