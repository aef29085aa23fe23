import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import {
  type FakeDiscordServer,
  type FakeModelServer,
  type FakeSlackServer,
  startFakeDiscordServer,
  startFakeModelServer,
  startFakeSlackServer,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "a".repeat(64);
const OPEN_ACCESS = { dmPolicy: "open", allowFrom: ["*"], groupPolicy: "open" };

let stateDir: string;
let model: FakeModelServer;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-channels-e2e-"));
  model = await startFakeModelServer();
  model.setDefaultReply((request) => ({
    text: `answer to: ${JSON.stringify(request.body.messages.at(-1)?.content)}`,
  }));
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await gateway?.close();
  gateway = undefined;
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function startWith(channels: Record<string, unknown>): Promise<GatewayClient> {
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      models: {
        providers: {
          fake: {
            baseUrl: model.baseUrlFor("openai-completions"),
            api: "openai-completions",
            models: [{ id: "m" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/m" } } },
      session: { dmScope: "per-channel-peer" },
      channels,
    }),
  );
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    channelBackoff: { initialMs: 50, maxMs: 400 },
  });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  return client;
}

function waitForConnected(operator: GatewayClient, channel: string) {
  return pollUntil(
    `${channel} connecting`,
    async () => (await operator.request("channels.status", {})).channelAccounts[channel]?.[0],
    (account) => account?.connected === true,
  );
}

async function sessionKeys(operator: GatewayClient): Promise<string[]> {
  return (await operator.request("sessions.list", {})).sessions.map((row) => row.key);
}

describe("Slack through the gateway", () => {
  let slack: FakeSlackServer;
  beforeEach(async () => {
    slack = await startFakeSlackServer();
  });
  afterEach(async () => {
    await slack.close();
  });

  it("answers a DM and a mention, ignores an unmentioned message, threads get their own session, survives a dropped socket", async () => {
    const operator = await startWith({
      slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl, ...OPEN_ACCESS },
    });
    await waitForConnected(operator, "slack");

    slack.sendDirectMessage({ user: "U1", text: "hello from a DM" });
    await slack.waitForPosted((posted) => posted.text.includes("hello from a DM"));

    slack.sendChannelMessage({ channel: "C1", user: "U1", text: "nobody asked you" });
    slack.sendChannelMessage({ channel: "C1", user: "U1", text: slack.mention("what is up?") });
    await slack.waitForPosted((posted) => posted.channel === "C1" && posted.text.includes("what is up?"));
    expect(JSON.stringify(model.requests.map((request) => request.body.messages))).not.toContain(
      "nobody asked you",
    );

    slack.sendChannelMessage({
      channel: "C1",
      user: "U1",
      text: slack.mention("in a thread"),
      threadTs: "1700000000.000100",
    });
    const [threaded] = await slack.waitForPosted((posted) => posted.text.includes("in a thread"));
    expect(threaded?.threadTs).toBe("1700000000.000100");
    expect((await sessionKeys(operator)).some((key) => key.includes(":thread:"))).toBe(true);

    slack.dropSocket();
    await slack.waitForConnections(2);
    await waitForConnected(operator, "slack");
    slack.sendDirectMessage({ user: "U1", text: "after the drop" });
    await slack.waitForPosted((posted) => posted.text.includes("after the drop"));
  });
});

describe("Discord through the gateway", () => {
  let discord: FakeDiscordServer;
  const author = { id: "555000111", username: "alice" };
  beforeEach(async () => {
    discord = await startFakeDiscordServer();
  });
  afterEach(async () => {
    await discord.close();
  });

  it("answers a DM and a mention, ignores an unmentioned message, threads get their own session, reconnects after a drop", async () => {
    const operator = await startWith({
      discord: { token: discord.token, apiBaseUrl: discord.apiBase, ...OPEN_ACCESS },
    });
    await waitForConnected(operator, "discord");

    discord.sendDirectMessage({ author, content: "hello from a DM" });
    await discord.waitForMessages((message) => message.content.includes("hello from a DM"));

    discord.sendGuildMessage({ author, content: "nobody asked you" });
    discord.sendGuildMessage({ author, content: "what is up?", mentionBot: true });
    await discord.waitForMessages((message) => message.content.includes("what is up?"));
    expect(JSON.stringify(model.requests.map((request) => request.body.messages))).not.toContain(
      "nobody asked you",
    );

    discord.sendThreadMessage({ author, content: "in a thread", mentionBot: true });
    await discord.waitForMessages((message) => message.content.includes("in a thread"));
    expect((await sessionKeys(operator)).some((key) => key.includes(":thread:"))).toBe(true);

    const sessionsBefore = discord.gateway.identifies + discord.gateway.resumes;
    discord.dropGateway();
    await discord.waitFor("a new gateway session after the drop", () =>
      discord.gateway.identifies + discord.gateway.resumes > sessionsBefore ? true : undefined,
    );
    await waitForConnected(operator, "discord");
    discord.sendDirectMessage({ author, content: "after the drop" });
    await discord.waitForMessages((message) => message.content.includes("after the drop"));
  });
});
