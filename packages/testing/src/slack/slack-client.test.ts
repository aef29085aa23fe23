import { LogLevel, SocketModeClient } from "@slack/socket-mode";
import { WebClient, WebClientEvent } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeSlackServer } from "./fake-slack-server.js";
import type { FakeSlackServer } from "./fake-slack-types.js";
import type { SlackEventCallback } from "./slack-objects.js";

let fake: FakeSlackServer;
const clients: SocketModeClient[] = [];

beforeEach(async () => {
  fake = await startFakeSlackServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  await fake.close();
});

const webClient = (token: string, retries = 0) =>
  new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries },
    logLevel: LogLevel.ERROR,
  });

function socketClient(): SocketModeClient {
  const client = new SocketModeClient({
    appToken: fake.appToken,
    autoReconnectEnabled: true,
    clientPingTimeout: 300,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  clients.push(client);
  return client;
}

describe("fake Slack Web API (@slack/web-api)", () => {
  it("answers auth.test for the bot token and refuses other tokens", async () => {
    const auth = await webClient(fake.botToken).auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: fake.bot.userId, bot_id: fake.bot.botId });
    await expect(webClient("xoxb-wrong").auth.test()).rejects.toMatchObject({
      code: "slack_webapi_platform_error",
      data: { error: "invalid_auth" },
    });
    await expect(webClient(fake.appToken).auth.test()).rejects.toMatchObject({
      data: { error: "not_allowed_token_type" },
    });
  });

  it("records chat.postMessage with thread_ts and edits with chat.update", async () => {
    const client = webClient(fake.botToken);
    const sent = await client.chat.postMessage({ channel: "C1", text: "hi *there*", thread_ts: "1.000001" });
    expect(sent).toMatchObject({ ok: true, channel: "C1", message: { text: "hi *there*" } });
    expect(fake.posted).toEqual([
      expect.objectContaining({ method: "chat.postMessage", channel: "C1", threadTs: "1.000001" }),
    ]);
    await client.chat.update({ channel: "C1", ts: sent.ts ?? "", text: "edited" });
    expect(fake.posted[1]).toMatchObject({ method: "chat.update", ts: sent.ts, text: "edited" });
    await expect(client.chat.postMessage({ channel: "C1", text: "x".repeat(40_001) })).rejects.toMatchObject({
      data: { error: "msg_too_long" },
    });
  });

  it("describes registered channels and users", async () => {
    fake.addChannel({ id: "C9", name: "general" });
    fake.addUser({ id: "U9", name: "alice", realName: "Alice Liddell" });
    const client = webClient(fake.botToken);
    expect((await client.conversations.info({ channel: "C9" })).channel).toMatchObject({ name: "general" });
    expect((await client.users.info({ user: "U9" })).user).toMatchObject({ real_name: "Alice Liddell" });
    await expect(client.conversations.info({ channel: "C404" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
  });

  it("answers 429 with Retry-After, which the WebClient waits out before retrying", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const rateLimited: number[] = [];
    const client = webClient(fake.botToken, 1);
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    const startedAt = performance.now();
    await client.chat.postMessage({ channel: "C1", text: "after the wait" });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(rateLimited).toEqual([1]);
    expect(
      fake.calls.filter((call) => call.method === "chat.postMessage").map((call) => call.status),
    ).toEqual([429, 200]);
  });
});

describe("fake Slack Socket Mode (@slack/socket-mode)", () => {
  it("hands out a loopback URL, says hello and delivers envelopes that the client acknowledges", async () => {
    const client = socketClient();
    const received: SlackEventCallback[] = [];
    const arrived = new Promise<void>((resolve) => {
      client.on("message", async ({ ack, body }: { ack: () => Promise<void>; body: SlackEventCallback }) => {
        await ack();
        received.push(body);
        resolve();
      });
    });
    const delivery = fake.sendDirectMessage({ user: "U1", text: "queued before connecting" });
    await client.start();
    await arrived;
    await fake.waitForAck(delivery.envelopeIds[0] ?? "");
    expect(received[0]?.event).toMatchObject({
      type: "message",
      channel_type: "im",
      channel: "DU1",
      user: "U1",
      text: "queued before connecting",
      ts: delivery.ts,
    });
  });

  it("sends app_mention too when a channel message mentions the bot", async () => {
    const client = socketClient();
    const types: string[] = [];
    const both = new Promise<void>((resolve) => {
      client.on(
        "slack_event",
        async ({ ack, body }: { ack: () => Promise<void>; body: SlackEventCallback }) => {
          await ack();
          types.push(body.event.type);
          if (types.length === 2) resolve();
        },
      );
    });
    await client.start();
    const delivery = fake.sendChannelMessage({ channel: "C1", user: "U1", text: fake.mention("hi") });
    await both;
    expect(types).toEqual(["message", "app_mention"]);
    expect(delivery.envelopeIds).toHaveLength(2);
  });

  it("lets a dropped client reconnect through a fresh apps.connections.open", async () => {
    const client = socketClient();
    await client.start();
    const reconnected = new Promise<void>((resolve) => client.once("connected", () => resolve()));
    fake.dropSocket();
    await reconnected;
    expect(fake.connectionCount).toBe(2);
    expect(fake.calls.filter((call) => call.method === "apps.connections.open")).toHaveLength(2);
  });

  it("refuses apps.connections.open with the bot token", async () => {
    await expect(webClient(fake.botToken).apps.connections.open({})).rejects.toMatchObject({
      data: { error: "not_allowed_token_type" },
    });
  });
});

describe("fake Slack HTTP Events API helper", () => {
  it("signs event_callback bodies with the signing secret", async () => {
    let seen: { signature?: string; timestamp?: string; body?: string } = {};
    const { createServer } = await import("node:http");
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        seen = {
          signature: String(req.headers["x-slack-signature"]),
          timestamp: String(req.headers["x-slack-request-timestamp"]),
          body: Buffer.concat(chunks).toString("utf8"),
        };
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    try {
      const address = receiver.address() as { port: number };
      const body = fake.directMessageEvent({ user: "U1", text: "over http" });
      const response = await fake.postEvent(`http://127.0.0.1:${address.port}/slack/events`, body);
      expect(response.status).toBe(200);
      const { createHmac } = await import("node:crypto");
      const expected = createHmac("sha256", fake.signingSecret)
        .update(`v0:${seen.timestamp}:${seen.body}`)
        .digest("hex");
      expect(seen.signature).toBe(`v0=${expected}`);
      expect(JSON.parse(seen.body ?? "{}")).toMatchObject({
        type: "event_callback",
        event: { text: "over http" },
      });
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
