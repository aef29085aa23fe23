import type { ChannelAccountContext, ChannelAccountHandle } from "@openclaw/plugin-sdk";
import { Client, type ClientOptions, Events, GatewayIntentBits, Partials } from "discord.js";
import { gatewayClosedError, toDiscordChannelError } from "./discord-api-failure.js";
import type { DiscordChannelError } from "./discord-channel-error.js";
import { registerNativeCommands } from "./discord-commands.js";
import type { DiscordConfig } from "./discord-config.js";
import { listenForInbound } from "./discord-inbound-events.js";
import { SentMessageIds } from "./discord-reactions.js";
import { resolveBotToken } from "./resolve-bot-token.js";

/** What a running account keeps for outbound calls, looked up by account id. */
export interface DiscordAccountRuntime {
  accountId: string;
  client: Client<true>;
  logger: ChannelAccountContext["logger"];
  /** The latest ids this account sent, so a reaction on an uncached message can tell it was the bot's. */
  sent: SentMessageIds;
}

export interface DiscordAccountHandle extends ChannelAccountHandle {
  /** Settles when the account stops: resolves after stop() or ctx.signal, rejects with the failure that ended it. */
  readonly done: Promise<void>;
}

/**
 * MessageContent is privileged: enable it in the Developer Portal or guild messages arrive with empty text (and no
 * attachments). The reaction intents bring reactions on messages in servers and DMs.
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.DirectMessageReactions,
  GatewayIntentBits.MessageContent,
] as const;

function describeForLog(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type MakeRequest = NonNullable<NonNullable<ClientOptions["rest"]>["makeRequest"]>;

/** discord.js's REST requests over fetch, each also cancelled by `signal`. */
function abortableRequest(signal: AbortSignal): MakeRequest {
  return (url, init) =>
    fetch(url, {
      ...(init as RequestInit),
      signal: init.signal ? AbortSignal.any([init.signal as AbortSignal, signal]) : signal,
    }) as ReturnType<MakeRequest>;
}

/**
 * `login` waits for the gateway's READY through its own timeouts and retries; an abort ends the wait at once
 * (the client is destroyed right after, which closes what login left open).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new Error("the start was aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("the start was aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Starts one account: logs a discord.js Client in (REST `GET /gateway/bot`, then the gateway's IDENTIFY/READY) and
 * forwards messages. discord.js resumes dropped sessions itself; this reports each drop and recovery through
 * setStatus and ends the account only when Discord closes the gateway for good.
 */
export async function startDiscordAccount(
  context: ChannelAccountContext<DiscordConfig>,
  register: (runtime: DiscordAccountRuntime) => () => void,
): Promise<DiscordAccountHandle> {
  const { accountId, config, logger } = context;
  const fail = (error: unknown): DiscordChannelError => {
    const failure = toDiscordChannelError(error, accountId);
    context.setStatus({ connected: false, lastError: failure.message });
    return failure;
  };

  let token: string;
  try {
    token = resolveBotToken(config, accountId);
  } catch (error) {
    throw fail(error);
  }
  // Aborted by ctx.signal (the gateway's start deadline, or stop) and by stop(): cancels every REST request.
  const controller = new AbortController();
  const abortAll = () => controller.abort();
  context.signal.addEventListener("abort", abortAll, { once: true });
  if (context.signal.aborted) controller.abort();
  const client = new Client({
    intents: [...DISCORD_INTENTS],
    // Discord sends no CHANNEL_CREATE for DMs, so their first message names a channel discord.js has not seen;
    // a reaction may name a message, its author and the reaction itself that were never cached.
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    rest: {
      api: config.apiBaseUrl,
      makeRequest: abortableRequest(controller.signal),
      ...(config.cdnBaseUrl === undefined ? {} : { cdn: config.cdnBaseUrl, mediaProxy: config.cdnBaseUrl }),
    },
  });
  const sent = new SentMessageIds();

  let stopped = false;
  let settle!: { resolve: () => void; reject: (error: DiscordChannelError) => void };
  const ended = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A close during login rejects `ended` before anyone awaits it; login's own rejection reports it instead.
  ended.catch(() => undefined);
  /** Set when Discord closed the gateway for good; it explains a failed login better than discord.js's error. */
  let closedForGood: DiscordChannelError | undefined;

  listenForInbound(client, context, {
    signal: controller.signal,
    sent,
    isStopped: () => stopped,
  });
  client.on(Events.ShardReconnecting, () => {
    if (stopped) return;
    logger.warn("discord gateway connection lost; discord.js is reconnecting");
    context.setStatus({
      connected: false,
      lastError: "the Discord gateway connection dropped; reconnecting (discord.js resumes the session)",
    });
  });
  const onRecovered = (how: string) => () => {
    if (stopped) return;
    logger.info(`discord gateway ${how}`);
    context.setStatus({ connected: true, lastError: null });
  };
  client.on(Events.ShardResume, onRecovered("resumed"));
  client.on(Events.ShardReady, onRecovered("ready"));
  client.on(Events.ShardDisconnect, (event) => {
    if (stopped) return;
    closedForGood = gatewayClosedError(event.code, accountId);
    const failure = fail(closedForGood);
    logger.error("discord gateway closed for good", { code: event.code, error: failure.message });
    settle.reject(failure);
  });
  client.on(Events.ShardError, (error) => {
    if (!stopped) logger.warn("discord gateway error", { error: describeForLog(error) });
  });
  client.on(Events.Error, (error) => {
    if (!stopped) logger.warn("discord client error", { error: describeForLog(error) });
  });

  try {
    await untilAborted(client.login(token), controller.signal);
  } catch (error) {
    stopped = true;
    await client.destroy();
    if (context.signal.aborted) throw toDiscordChannelError(error, accountId);
    throw fail(closedForGood ?? error);
  }
  if (!client.isReady()) {
    // login() resolves on READY; isReady() waits for the guilds. Both mean the session is up.
    await new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  }
  const ready = client as Client<true>;
  const unregister = register({ accountId, client: ready, logger, sent });
  context.setStatus({ connected: true, lastError: null });
  logger.info("discord connected", { username: ready.user.username });
  if (context.commands !== undefined) {
    // In the background: the account is usable before Discord has the command list.
    void registerNativeCommands(ready, context.commands, logger, () => stopped);
  }

  const finished = ended.finally(async () => {
    stopped = true;
    unregister();
    await client.destroy();
  });
  // `done` is for whoever watches the account; nobody watching must not make its failure unhandled.
  finished.catch(() => undefined);

  const stop = async (): Promise<void> => {
    controller.abort();
    if (!stopped) {
      stopped = true;
      settle.resolve();
    }
    await finished.catch(() => undefined);
    context.setStatus({ connected: false });
  };
  context.signal.addEventListener("abort", () => void stop(), { once: true });
  if (context.signal.aborted) await stop();

  return { stop, done: finished };
}
