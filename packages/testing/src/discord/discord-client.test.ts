import { once } from "node:events";
import { ChannelType, Client, Events, GatewayIntentBits, type Message, Partials } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeDiscordServer, startFakeDiscordServer } from "./fake-discord-server.js";

const alice = { id: "2100000000000000001", username: "alice", globalName: "Alice" };

let fake: FakeDiscordServer;
let client: Client;

function newClient(intents: GatewayIntentBits[]): Client {
  return new Client({
    intents,
    partials: [Partials.Channel],
    rest: { api: fake.apiBase },
  });
}

const allIntents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

function nextMessage(): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message) => {
      if (message.author.id === fake.bot.id) return;
      client.off(Events.MessageCreate, listener);
      resolve(message);
    };
    client.on(Events.MessageCreate, listener);
  });
}

beforeEach(async () => {
  fake = await startFakeDiscordServer({ heartbeatIntervalMs: 100 });
  client = newClient(allIntents);
});

afterEach(async () => {
  await client.destroy();
  await fake.close();
});

describe("fake Discord with the real discord.js client", () => {
  it("logs in through /gateway/bot, IDENTIFY and READY, then sees the guild", async () => {
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    expect(client.user?.id).toBe(fake.bot.id);
    expect(client.guilds.cache.get(fake.guild.id)?.channels.cache.get(fake.channel.id)?.name).toBe("general");
    expect(fake.gateway).toMatchObject({ identifies: 1, resumes: 0 });
    expect(fake.requests).toContainEqual({ method: "GET", path: "/gateway/bot", status: 200 });
    expect(fake.requests.every((request) => request.status !== 404)).toBe(true);
  });

  it("acknowledges heartbeats", async () => {
    const acked = new Promise<void>((resolve) => {
      const listener = (info: string) => {
        if (!info.includes("Heartbeat acknowledged")) return;
        client.off(Events.Debug, listener);
        resolve();
      };
      client.on(Events.Debug, listener);
    });
    await client.login(fake.token);
    await acked;
    expect(fake.gateway.heartbeats).toBeGreaterThan(0);
  });

  it("delivers guild, DM and thread messages as discord.js Messages", async () => {
    await client.login(fake.token);
    let arrived = nextMessage();
    fake.sendGuildMessage({ author: alice, content: `<@${fake.bot.id}> hi` });
    let message = await arrived;
    expect(message.guildId).toBe(fake.guild.id);
    expect(message.mentions.users.has(fake.bot.id)).toBe(true);

    arrived = nextMessage();
    fake.sendDirectMessage({ author: alice, content: "psst" });
    message = await arrived;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.guildId).toBeNull();
    expect(message.content).toBe("psst");

    arrived = nextMessage();
    fake.sendThreadMessage({ threadId: "1500000000000000001", author: alice, content: "in a thread" });
    message = await arrived;
    expect(message.channel.isThread()).toBe(true);
    expect(message.channel.isThread() && message.channel.parentId).toBe(fake.channel.id);
  });

  it("blanks guild content without the MessageContent intent, as Discord does", async () => {
    client = newClient([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    await client.login(fake.token);
    const arrived = nextMessage();
    fake.sendGuildMessage({ author: alice, content: "secret" });
    expect((await arrived).content).toBe("");
  });

  it("records sends and typing, and 404s an unknown channel with Discord's error", async () => {
    await client.login(fake.token);
    const channel = await client.channels.fetch(fake.channel.id);
    if (channel === null || !channel.isSendable()) throw new Error("expected a sendable channel");
    await channel.sendTyping();
    const sent = await channel.send("hello");
    expect(fake.messages).toMatchObject([
      { channelId: fake.channel.id, content: "hello", messageId: sent.id },
    ]);
    expect(fake.typing).toMatchObject([{ channelId: fake.channel.id }]);
    await expect(client.channels.fetch("999")).rejects.toMatchObject({ code: 10003, status: 404 });
    const dm = await client.users.createDM(alice.id);
    expect(dm.id).toBe(fake.dmChannelId(alice.id));
  });

  it("resumes a dropped session and replays what was missed", async () => {
    await client.login(fake.token);
    const resumed = fake.waitForSession("resumed");
    const reconnecting = once(client, Events.ShardReconnecting);
    fake.dropGateway();
    await reconnecting;
    const arrived = nextMessage();
    // Sent while the socket is down: delivered by the replay after RESUME.
    fake.sendDirectMessage({ author: alice, content: "while you were away" });
    await resumed;
    expect((await arrived).content).toBe("while you were away");
    expect(fake.gateway).toMatchObject({ identifies: 1, resumes: 1 });
  });
});
