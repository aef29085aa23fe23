import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ChannelKind, type FakeDiscordUser, snowflake, toUser } from "./discord-objects.js";
import { type FakeDiscordState, parseJson, readBody, reply, unknown } from "./fake-discord-state.js";

/** An application command invocation a test injects (a user ran `/name` in a channel or a DM). */
export interface FakeDiscordInteractionInput {
  user: FakeDiscordUser;
  /** The command name, without the slash. */
  name: string;
  /** String options, e.g. `{ args: "gpt-5" }`. */
  options?: Record<string, string>;
  /** Default: the test guild's text channel. Ignored with `dm`. */
  channelId?: string;
  /** Run in the bot's DM with `user`. */
  dm?: boolean;
}

const BOT_PERMISSIONS = "2248473465835073";
const STRING_OPTION = 3;

/** Dispatches INTERACTION_CREATE (type 2, a chat-input command) with Discord's fields; returns its id and token. */
export function dispatchInteraction(
  state: FakeDiscordState,
  input: FakeDiscordInteractionInput,
  dmChannelId: (userId: string) => string,
): { id: string; token: string; channelId: string } {
  const id = snowflake();
  const token = `aW50ZXJhY3Rpb246${randomBytes(24).toString("base64url")}`;
  const channelId = input.dm === true ? dmChannelId(input.user.id) : (input.channelId ?? state.channel.id);
  const channel = state.channels.get(channelId);
  const user = toUser(input.user);
  const registered = state.commandRegistrations
    .at(-1)
    ?.commands.find((command) => command.name === input.name);
  const options = Object.entries(input.options ?? {}).map(([name, value]) => ({
    name,
    type: STRING_OPTION,
    value,
  }));
  const inGuild = channel?.guild_id !== undefined;
  state.interactions.set(token, { id, channelId, responded: false });
  state.dispatch("INTERACTION_CREATE", {
    id,
    application_id: state.bot.id,
    type: 2,
    data: {
      id: typeof registered?.id === "string" ? registered.id : snowflake(),
      name: input.name,
      type: 1,
      ...(options.length === 0 ? {} : { options }),
    },
    ...(inGuild ? { guild_id: channel?.guild_id, guild_locale: "en-US" } : {}),
    channel_id: channelId,
    channel:
      channel === undefined
        ? { id: channelId, type: ChannelKind.GuildText }
        : { ...channel, ...(inGuild ? {} : { recipients: [user] }) },
    ...(inGuild
      ? {
          member: {
            user,
            roles: [],
            permissions: "1071698660929",
            joined_at: new Date().toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
          },
        }
      : { user }),
    token,
    version: 1,
    app_permissions: BOT_PERMISSIONS,
    locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: inGuild ? { "0": channel?.guild_id } : { "1": user.id },
    context: inGuild ? 0 : 1,
    attachment_size_limit: state.maxUploadBytes,
  });
  return { id, token, channelId };
}

/**
 * Application commands (bulk overwrite and list), the interaction callback and the interaction webhook. Returns
 * undefined for a path it does not serve. Callbacks and webhooks carry no bot token, as on Discord: the
 * interaction token in the path authorises them.
 */
export async function routeInteractions(
  state: FakeDiscordState,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  options: { commandRegistrationStatus?: number },
): Promise<number | undefined> {
  const method = request.method ?? "GET";
  const commands = /^\/applications\/([^/]+)\/commands$/.exec(path);
  if (commands !== null) {
    const applicationId = commands[1] ?? "";
    if (applicationId !== state.bot.id) return unknown(response, "Application", 10002);
    if (method === "GET") return reply(response, 200, state.commandRegistrations.at(-1)?.commands ?? []);
    if (method !== "PUT") return undefined;
    const raw = (await readBody(request, 1024 * 1024)) ?? Buffer.alloc(0);
    const body = JSON.parse(raw.toString("utf8") || "[]") as unknown;
    const status = options.commandRegistrationStatus ?? 200;
    const list = (Array.isArray(body) ? body : []).map((command: Record<string, unknown>) => ({
      id: snowflake(),
      application_id: applicationId,
      version: snowflake(),
      type: 1,
      default_member_permissions: null,
      dm_permission: true,
      contexts: [0, 1, 2],
      integration_types: [0],
      nsfw: false,
      options: [],
      ...command,
    }));
    state.commandRegistrations.push({ applicationId, commands: list, status, at: Date.now() });
    state.notify();
    if (status !== 200)
      return reply(response, status, { message: "fake Discord refused the commands", code: 0 });
    return reply(response, 200, list);
  }
  const callback = /^\/interactions\/([^/]+)\/([^/]+)\/callback$/.exec(path);
  if (callback !== null && method === "POST") {
    const token = callback[2] ?? "";
    const known = state.interactions.get(token);
    if (known === undefined || known.id !== callback[1]) return unknown(response, "interaction", 10062);
    if (known.responded) {
      return reply(response, 400, { message: "Interaction has already been acknowledged.", code: 40060 });
    }
    known.responded = true;
    const body = parseJson((await readBody(request, 1024 * 1024)) ?? Buffer.alloc(0));
    state.interactionResponses.push({
      interactionId: known.id,
      token,
      kind: "callback",
      type: Number(body.type),
      data: (body.data as Record<string, unknown> | undefined) ?? {},
      at: Date.now(),
    });
    state.notify();
    const withResponse = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("with_response");
    if (withResponse !== "true") return reply(response, 204);
    return reply(response, 200, {
      interaction: { id: known.id, type: 2, activity_instance_id: null, response_message_id: null },
      resource: { type: Number(body.type) },
    });
  }
  const webhook = /^\/webhooks\/([^/]+)\/([^/]+)(\/messages\/@original)?$/.exec(path);
  if (webhook !== null && (method === "POST" || method === "PATCH")) {
    const token = webhook[2] ?? "";
    const known = state.interactions.get(token);
    if (known === undefined) return unknown(response, "Webhook", 10015);
    const body = parseJson((await readBody(request, 1024 * 1024)) ?? Buffer.alloc(0));
    state.interactionResponses.push({
      token,
      kind: webhook[3] === undefined ? "followup" : "edit-original",
      data: body,
      at: Date.now(),
    });
    state.notify();
    return reply(response, 200, {
      id: snowflake(),
      channel_id: known.channelId,
      type: 20,
      content: typeof body.content === "string" ? body.content : "",
      author: state.bot,
      attachments: [],
      embeds: [],
      mentions: [],
      mention_roles: [],
      pinned: false,
      mention_everyone: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: Number(body.flags ?? 0),
      webhook_id: state.bot.id,
      application_id: state.bot.id,
    });
  }
  return undefined;
}
