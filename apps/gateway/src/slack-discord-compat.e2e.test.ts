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
import { type GatewayServer, startGatewayServer } from "./index.js";

/*
 * OpenClaw's per-room maps (Slack `channels`, Discord `guilds`) through the real adapters and the gateway, against
 * the loopback fakes. Each test sends the messages that must be dropped first, then one that must be answered, and
 * checks that only the answered ones ever reached the model.
 */
const TOKEN = "d".repeat(64);

let stateDir: string;
let model: FakeModelServer;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-room-maps-e2e-"));
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
      channels,
    }),
  );
  gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token: TOKEN } });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  return client;
}

async function waitForConnected(operator: GatewayClient, channel: string) {
  await expect
    .poll(
      async () => (await operator.request("channels.status", {})).channelAccounts[channel]?.[0]?.connected,
    )
    .toBe(true);
}

function modelSaw(): string {
  return JSON.stringify(model.requests.map((request) => request.body.messages));
}

describe("Slack channels map", () => {
  let slack: FakeSlackServer;
  beforeEach(async () => {
    slack = await startFakeSlackServer();
  });
  afterEach(async () => {
    await slack.close();
  });

  it("answers in a channel listed by #name without a mention, and only the channel's users", async () => {
    slack.addChannel({ id: "C0ENG", name: "engineering" });
    slack.addChannel({ id: "C0RANDOM", name: "random" });
    const operator = await startWith({
      slack: {
        botToken: slack.botToken,
        appToken: slack.appToken,
        apiUrl: slack.apiUrl,
        groupPolicy: "allowlist",
        channels: {
          "#engineering": { requireMention: false, users: ["U0DANA"] },
          C0OPS: { requireMention: true },
        },
      },
    });
    await waitForConnected(operator, "slack");

    slack.sendChannelMessage({ channel: "C0RANDOM", user: "U0DANA", text: slack.mention("unlisted room") });
    slack.sendChannelMessage({ channel: "C0ENG", user: "U0EVE", text: "not a listed user" });
    slack.sendChannelMessage({ channel: "C0OPS", user: "U0EVE", text: "ops without a mention" });
    slack.sendChannelMessage({ channel: "C0ENG", user: "U0DANA", text: "deploy status?" });
    await slack.waitForPosted(
      (posted) => posted.channel === "C0ENG" && posted.text.includes("deploy status?"),
    );
    slack.sendChannelMessage({ channel: "C0OPS", user: "U0EVE", text: slack.mention("ops with a mention") });
    await slack.waitForPosted(
      (posted) => posted.channel === "C0OPS" && posted.text.includes("ops with a mention"),
    );

    const seen = modelSaw();
    expect(seen).not.toContain("unlisted room");
    expect(seen).not.toContain("not a listed user");
    expect(seen).not.toContain("ops without a mention");
  });
});

describe("Discord guilds map", () => {
  let discord: FakeDiscordServer;
  const dana = { id: "555000111", username: "dana" };
  const eve = { id: "555000222", username: "eve" };
  beforeEach(async () => {
    discord = await startFakeDiscordServer();
  });
  afterEach(async () => {
    await discord.close();
  });

  it("answers in a guild channel it lists, to the guild's users, and drops other channels and guilds", async () => {
    const operator = await startWith({
      discord: {
        token: discord.token,
        apiBaseUrl: discord.apiBase,
        groupPolicy: "allowlist",
        guilds: {
          [discord.guild.id]: {
            requireMention: true,
            users: [dana.id],
            channels: { [discord.channel.id]: { requireMention: false } },
          },
          "999999999999999999": { requireMention: false },
        },
      },
    });
    await waitForConnected(operator, "discord");

    discord.sendGuildMessage({
      channelId: "777000777",
      author: dana,
      content: "unlisted channel",
      mentionBot: true,
    });
    discord.sendGuildMessage({ author: eve, content: "not a guild user", mentionBot: true });
    discord.sendGuildMessage({ author: dana, content: "what changed today?" });
    await discord.waitForMessages((message) => message.content.includes("what changed today?"));

    const seen = modelSaw();
    expect(seen).not.toContain("unlisted channel");
    expect(seen).not.toContain("not a guild user");
  });
});
