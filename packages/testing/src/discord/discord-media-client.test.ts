import {
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Message,
  MessageFlags,
  type MessageReaction,
  type PartialMessageReaction,
  Partials,
  Routes,
  type SendableChannels,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeDiscordServer, startFakeDiscordServer } from "./fake-discord-server.js";

const alice = { id: "2100000000000000001", username: "alice", globalName: "Alice" };
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let fake: FakeDiscordServer;
let client: Client;

beforeEach(async () => {
  fake = await startFakeDiscordServer({ maxUploadBytes: 64 * 1024 });
  client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.GuildMessageReactions,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.DirectMessageReactions,
      GatewayIntentBits.MessageContent,
    ],
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    rest: { api: fake.apiBase, cdn: fake.cdnBase, mediaProxy: fake.cdnBase },
  });
  await client.login(fake.token);
});

afterEach(async () => {
  await client.destroy();
  await fake.close();
});

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

async function general(): Promise<SendableChannels> {
  const channel = await client.channels.fetch(fake.channel.id);
  if (channel === null || !channel.isSendable()) throw new Error("expected a sendable channel");
  return channel;
}

describe("fake Discord media, edits, reactions and commands with discord.js", () => {
  it("delivers attachments, a voice message and a sticker whose URLs the CDN serves", async () => {
    let arrived = nextMessage();
    fake.sendGuildMessage({
      author: alice,
      content: "",
      attachments: [
        { data: png, fileName: "cat.png", contentType: "image/png", width: 4 },
        { data: new TextEncoder().encode("hello"), fileName: "notes.txt", contentType: "text/plain" },
      ],
    });
    let message = await arrived;
    const [image, text] = [...message.attachments.values()];
    expect(image).toMatchObject({
      name: "cat.png",
      contentType: "image/png",
      size: png.byteLength,
      width: 4,
    });
    expect(text?.url.startsWith(`${fake.cdnBase}/attachments/${fake.channel.id}/`)).toBe(true);
    const response = await fetch(image?.url ?? "");
    expect(response.headers.get("content-length")).toBe(String(png.byteLength));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);

    arrived = nextMessage();
    fake.sendDirectMessage({
      author: alice,
      content: "",
      attachments: [
        {
          data: new Uint8Array(20),
          fileName: "voice-message.ogg",
          contentType: "audio/ogg",
          voice: { durationSecs: 3.5 },
        },
      ],
    });
    message = await arrived;
    expect(message.flags.has(MessageFlags.IsVoiceMessage)).toBe(true);
    expect(message.attachments.first()).toMatchObject({ duration: 3.5, waveform: expect.any(String) });

    arrived = nextMessage();
    fake.sendGuildMessage({ author: alice, content: "", stickers: [{ name: "wave", data: png }] });
    message = await arrived;
    const sticker = message.stickers.first();
    expect(sticker?.name).toBe("wave");
    expect(new Uint8Array(await (await fetch(sticker?.url ?? "")).arrayBuffer())).toEqual(png);
  });

  it("records multipart uploads with bytes, name and content, and refuses one over the limit", async () => {
    const channel = await general();
    const sent = await channel.send({
      content: "a cat",
      files: [{ attachment: Buffer.from(png), name: "cat.png" }],
    });
    expect(sent.attachments.first()?.name).toBe("cat.png");
    expect(fake.messages[0]).toMatchObject({ content: "a cat", messageId: sent.id });
    expect(fake.messages[0]?.files).toEqual([
      { name: "cat.png", contentType: expect.any(String), data: png },
    ]);
    await expect(
      channel.send({ files: [{ attachment: Buffer.alloc(65 * 1024), name: "big.bin" }] }),
    ).rejects.toMatchObject({ status: 413, code: 40005 });
  });

  it("keeps each message's edit history and marks deletions; a 429 is waited out by the REST queue", async () => {
    const channel = await general();
    const sent = await channel.send("draft");
    fake.rateLimitNext({ method: "PATCH", path: /\/messages\// });
    await channel.messages.edit(sent.id, { content: "draft, longer" });
    await channel.messages.edit(sent.id, { content: "final" });
    expect(fake.messages[0]?.edits.map((edit) => edit.content)).toEqual(["draft, longer", "final"]);
    expect(fake.requests.filter((request) => request.status === 429)).toHaveLength(1);
    await channel.messages.delete(sent.id);
    expect(fake.messages[0]?.deletedAt).toEqual(expect.any(Number));
    await expect(channel.messages.edit(sent.id, { content: "gone" })).rejects.toMatchObject({ code: 10008 });
  });

  it("records the bot's reactions and dispatches users' reactions on uncached messages", async () => {
    const channel = await general();
    const sent = await channel.send("react to me");
    await channel.messages.react(sent.id, "👍");
    await client.rest.delete(Routes.channelMessageOwnReaction(channel.id, sent.id, encodeURIComponent("👍")));
    expect(fake.reactions).toMatchObject([
      { messageId: sent.id, emoji: "👍", action: "add" },
      { messageId: sent.id, emoji: "👍", action: "remove" },
    ]);

    channel.messages.cache.clear();
    const reacted = new Promise<[MessageReaction | PartialMessageReaction, string]>((resolve) => {
      client.once(Events.MessageReactionAdd, (reaction, user) => resolve([reaction, user.id]));
    });
    fake.sendReaction({ channelId: channel.id, messageId: sent.id, user: alice, emoji: "🎉" });
    const [reaction, userId] = await reacted;
    expect(userId).toBe(alice.id);
    expect(reaction.message.partial).toBe(true);
    expect(reaction.emoji.name).toBe("🎉");
    const removed = new Promise<string | null>((resolve) => {
      client.once(Events.MessageReactionRemove, (removedReaction) => resolve(removedReaction.emoji.name));
    });
    fake.sendReaction({ channelId: channel.id, messageId: sent.id, user: alice, emoji: "🎉", removed: true });
    expect(await removed).toBe("🎉");
  });

  it("registers commands and answers an injected command through the interaction callback", async () => {
    await client.application?.commands.set([
      {
        name: "model",
        description: "Switch the model",
        options: [{ type: 3, name: "args", description: "<model>" }],
      },
    ]);
    expect(fake.commandRegistrations).toMatchObject([
      { applicationId: fake.bot.id, commands: [{ name: "model", description: "Switch the model" }] },
    ]);
    for (const dm of [false, true]) {
      const invoked = new Promise<ChatInputCommandInteraction>((resolve) => {
        client.once(Events.InteractionCreate, (interaction) => {
          if (interaction.isChatInputCommand()) resolve(interaction);
        });
      });
      const { id } = fake.sendInteraction({ user: alice, name: "model", options: { args: "gpt-5" }, dm });
      const interaction = await invoked;
      expect(interaction).toMatchObject({ id, commandName: "model", user: { id: alice.id } });
      expect(interaction.options.getString("args")).toBe("gpt-5");
      expect(interaction.channel?.type).toBe(dm ? ChannelType.DM : ChannelType.GuildText);
      await interaction.reply({ content: "ok", flags: MessageFlags.Ephemeral });
    }
    expect(fake.interactionResponses).toMatchObject([
      { kind: "callback", type: 4, data: { content: "ok", flags: MessageFlags.Ephemeral } },
      { kind: "callback", type: 4 },
    ]);
  });
});
