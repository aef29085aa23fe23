import { LogLevel, SocketModeClient } from "@slack/socket-mode";
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeSlackServer } from "./fake-slack-server.js";
import type { FakeSlackServer } from "./fake-slack-types.js";
import type { SlackEventCallback, SlackMessageEvent, SlackSlashCommandPayload } from "./slack-objects.js";

let fake: FakeSlackServer;
const clients: SocketModeClient[] = [];

beforeEach(async () => {
  fake = await startFakeSlackServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  await fake.close();
});

const webClient = () =>
  new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });

function socketClient(): SocketModeClient {
  const client = new SocketModeClient({
    appToken: fake.appToken,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  clients.push(client);
  return client;
}

describe("fake Slack files (@slack/web-api)", () => {
  it("takes files.uploadV2: getUploadURLExternal, the bytes at the upload URL, completeUploadExternal", async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const result = await webClient().files.uploadV2({
      channel_id: "C1",
      thread_ts: "1700000000.000001",
      initial_comment: "the chart",
      file: Buffer.from(bytes),
      filename: "chart.png",
      title: "Chart",
    });
    expect(result.ok).toBe(true);
    const [upload] = fake.uploads;
    expect(upload).toMatchObject({
      fileName: "chart.png",
      title: "Chart",
      length: bytes.byteLength,
      completed: true,
      channel: "C1",
      threadTs: "1700000000.000001",
      initialComment: "the chart",
    });
    expect([...(upload?.bytes ?? [])]).toEqual([...bytes]);
    expect(fake.message("C1", upload?.ts ?? "")).toMatchObject({ user: fake.bot.userId, text: "the chart" });
    expect(fake.calls.map((call) => call.method)).toEqual([
      "files.getUploadURLExternal",
      "files.completeUploadExternal",
    ]);
  });

  it("refuses a file share to a user id, which is not a conversation", async () => {
    await expect(
      webClient().files.uploadV2({ channel_id: "U1", file: Buffer.from("x"), filename: "a.txt" }),
    ).rejects.toMatchObject({ data: { error: "channel_not_found" } });
  });

  it("serves an injected file's url_private_download to the bot token only", async () => {
    const delivery = fake.sendDirectMessage({
      user: "U1",
      text: "",
      files: [{ name: "clip.m4a", mimeType: "audio/mp4", bytes: new Uint8Array([1, 2, 3]), clip: "audio" }],
    });
    const [file] = delivery.files;
    expect(file).toMatchObject({ subtype: "slack_audio", mimetype: "audio/mp4", size: 3 });
    const url = file?.url_private_download ?? "";
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${fake.botToken}` } });
    expect([...new Uint8Array(await withToken.arrayBuffer())]).toEqual([1, 2, 3]);
    const anonymous = await fetch(url);
    expect(anonymous.headers.get("content-type")).toContain("text/html");
    expect(fake.downloads.map((entry) => entry.authorized)).toEqual([true, false]);
  });
});

describe("fake Slack edits, deletes and reactions (@slack/web-api)", () => {
  it("keeps each message's edit history and refuses a user id where a conversation is needed", async () => {
    const client = webClient();
    const sent = await client.chat.postMessage({ channel: "U1", text: "draft" });
    expect(sent.channel).toBe("DU1");
    const ts = sent.ts ?? "";
    await client.chat.update({ channel: "DU1", ts, text: "draft, longer" });
    await client.chat.update({ channel: "DU1", ts, text: "final" });
    expect(fake.message("DU1", ts)?.history).toEqual(["draft", "draft, longer", "final"]);
    await expect(client.chat.update({ channel: "U1", ts, text: "x" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    await client.chat.delete({ channel: "DU1", ts });
    expect(fake.message("DU1", ts)?.deleted).toBe(true);
    await expect(client.chat.delete({ channel: "DU1", ts })).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
  });

  it("records reactions.add / reactions.remove with Slack's errors for repeats", async () => {
    const client = webClient();
    const { ts } = fake.sendChannelMessage({ channel: "C1", user: "U1", text: "hi" });
    await client.reactions.add({ channel: "C1", timestamp: ts, name: "eyes" });
    await expect(client.reactions.add({ channel: "C1", timestamp: ts, name: "eyes" })).rejects.toMatchObject({
      data: { error: "already_reacted" },
    });
    await client.reactions.remove({ channel: "C1", timestamp: ts, name: "eyes" });
    await expect(
      client.reactions.remove({ channel: "C1", timestamp: ts, name: "eyes" }),
    ).rejects.toMatchObject({
      data: { error: "no_reaction" },
    });
    await expect(client.reactions.add({ channel: "C1", timestamp: ts, name: "👀" })).rejects.toMatchObject({
      data: { error: "invalid_name" },
    });
    expect(fake.reactionCalls.map((call) => `${call.action}:${call.name}`)).toEqual([
      "add:eyes",
      "remove:eyes",
    ]);
  });
});

describe("fake Slack Socket Mode payloads (@slack/socket-mode)", () => {
  it("delivers file_share messages, reaction events and slash commands, recording the command's ack", async () => {
    const client = socketClient();
    const events: SlackEventCallback[] = [];
    const commands: SlackSlashCommandPayload[] = [];
    const onEvent = async ({ ack, body }: { ack: () => Promise<void>; body: SlackEventCallback }) => {
      await ack();
      events.push(body);
    };
    client.on("message", onEvent);
    client.on("reaction_added", onEvent);
    client.on(
      "slash_commands",
      async ({
        ack,
        body,
      }: {
        ack: (payload?: unknown) => Promise<void>;
        body: SlackSlashCommandPayload;
      }) => {
        await ack({ text: "on it" });
        commands.push(body);
      },
    );
    await client.start();
    const posted = await webClient().chat.postMessage({ channel: "C1", text: "answer" });
    const files = fake.sendChannelMessage({
      channel: "C1",
      user: "U1",
      text: "look",
      files: [{ name: "a.png", mimeType: "image/png", bytes: new Uint8Array([1]) }],
    });
    const reaction = fake.sendReaction({ user: "U1", channel: "C1", ts: posted.ts ?? "", reaction: "+1" });
    const command = fake.sendSlashCommand({ command: "/new", text: "gpt-5", user: "U1", channel: "C1" });
    await fake.waitForAck(command.envelopeId);
    await fake.waitForAck(reaction.envelopeId);
    await fake.waitForAck(files.envelopeIds[0] ?? "");
    expect(fake.ackPayload(command.envelopeId)).toEqual({ text: "on it" });
    expect(events[0]?.event).toMatchObject({ subtype: "file_share", files: [{ name: "a.png" }] });
    const shared = events[0]?.event as SlackMessageEvent;
    expect(shared.files?.[0]?.url_private_download).toContain("/download/a.png");
    expect(events[1]?.event).toMatchObject({
      type: "reaction_added",
      reaction: "+1",
      item_user: fake.bot.userId,
      item: { type: "message", channel: "C1", ts: posted.ts },
    });
    expect(commands[0]).toMatchObject({ command: "/new", text: "gpt-5", channel_id: "C1", user_id: "U1" });
  });
});
