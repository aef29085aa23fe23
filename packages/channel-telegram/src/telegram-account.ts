import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChannelAccountContext, ChannelAccountHandle, InboundMessage } from "@openclaw/plugin-sdk";
import { Bot, webhookCallback } from "grammy";
import { toGrammySignal } from "./grammy-signal.js";
import { resolveBotToken } from "./resolve-bot-token.js";
import { SentMessageMemory } from "./sent-message-memory.js";
import { toTelegramChannelError } from "./telegram-api-failure.js";
import { TelegramChannelError } from "./telegram-channel-error.js";
import type { TelegramConfig } from "./telegram-config.js";
import type { TelegramFileSource } from "./telegram-file-download.js";
import { telegramInboundMedia } from "./telegram-inbound-media.js";
import { ALLOWED_UPDATES, runLongPolling, type UpdateOutcome } from "./telegram-long-polling.js";
import { MediaGroupBuffer } from "./telegram-media-group.js";
import { type BotIdentity, telegramMessageToInbound } from "./telegram-message-to-inbound.js";
import { registerNativeCommands, toBotCommands } from "./telegram-native-commands.js";
import { reactionUpdateToInbound } from "./telegram-reactions.js";
import { readResumeOffset, updateOffsetRecorder } from "./telegram-update-offset.js";

/** What a running account keeps for outbound calls, looked up by account id. */
export interface TelegramAccountRuntime {
  accountId: string;
  bot: Bot;
  identity: BotIdentity;
  /** Aborted by stop(): cancels in-flight calls and 429 waits. */
  signal: AbortSignal;
  logger: ChannelAccountContext["logger"];
  textFormat: TelegramConfig["textFormat"];
  /** The bot's recent messages, so inbound reactions know which are on its own messages. */
  sentMessages: SentMessageMemory;
}

export interface TelegramAccountHandle extends ChannelAccountHandle {
  /** Settles when the account stops: resolves after stop() or ctx.signal, rejects with the failure that ended it. */
  readonly done: Promise<void>;
  /** The local webhook listener, in webhook mode. */
  readonly webhookAddress?: AddressInfo;
}

const HANDED_OVER: UpdateOutcome = { handedOver: true };
const INTERRUPTED: UpdateOutcome = { interrupted: true };

function describeForLog(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/**
 * Starts one account: checks the token with getMe, then receives updates by long polling (default) or through a
 * local webhook listener. Resolves once updates flow; rejects with a {@link TelegramChannelError} (also reported
 * as `lastError`) when the account cannot start.
 */
export async function startTelegramAccount(
  context: ChannelAccountContext<TelegramConfig>,
  register: (runtime: TelegramAccountRuntime) => () => void,
): Promise<TelegramAccountHandle> {
  const { accountId, config, logger } = context;
  const controller = new AbortController();
  // Aborting ctx.signal while starting (the gateway's start deadline) cancels the start's requests too.
  const { signal } = controller;
  const abortStart = () => controller.abort();
  context.signal.addEventListener("abort", abortStart, { once: true });
  if (context.signal.aborted) controller.abort();
  const fail = (error: unknown): TelegramChannelError => {
    const failure = toTelegramChannelError(error, accountId);
    if (!context.signal.aborted) context.setStatus({ connected: false, lastError: failure.message });
    return failure;
  };

  let bot: Bot;
  let identity: BotIdentity;
  try {
    const token = await resolveBotToken(config, accountId);
    bot = new Bot(token, { client: { apiRoot: config.apiRoot } });
    // Not bot.init(): it retries network errors and 5xx answers quietly for ever (backoff up to 20 minutes), so an
    // unreachable apiRoot would look like a start that never ends. One getMe fails fast; the gateway retries.
    bot.botInfo = await bot.api.getMe(toGrammySignal(signal));
    identity = { id: bot.botInfo.id, username: bot.botInfo.username };
  } catch (error) {
    throw fail(error);
  }

  const sentMessages = new SentMessageMemory();
  const unregister = register({
    accountId,
    bot,
    identity,
    signal,
    logger,
    textFormat: config.textFormat,
    sentMessages,
  });
  const files: TelegramFileSource = { api: bot.api, token: bot.token, apiRoot: config.apiRoot, accountId };
  const nativeCommands = new Set(
    toBotCommands(context.commands ?? [], logger).map((command) => command.command),
  );
  const polling = !(config.mode === "webhook" && config.webhook !== undefined);
  /** Updates that did not reach the gateway at once, read by the polling loop once grammY handled each. */
  const outcomes = new Map<number, UpdateOutcome>();
  const record = (updateId: number, outcome: UpdateOutcome) => {
    // A webhook's updates are confirmed by its 200 answer: nobody reads their outcome.
    if (polling) outcomes.set(updateId, outcome);
  };
  const handOver = async (inbound: InboundMessage): Promise<boolean> => {
    if (signal.aborted) return false;
    try {
      await context.onInbound(inbound);
    } catch (error) {
      // Refused as the account stops (the gateway drains its turns first): left with Telegram for the next poller.
      if (signal.aborted) return false;
      // One message the gateway failed on must not stop the account; the next update is independent.
      logger.error("telegram inbound message failed in the gateway", { error: describeForLog(error) });
    }
    return true;
  };
  const albums = new MediaGroupBuffer(handOver);
  signal.addEventListener("abort", () => albums.clear(), { once: true });
  bot.on("message", async (ctx) => {
    if (signal.aborted) return record(ctx.update.update_id, INTERRUPTED);
    const inbound = telegramMessageToInbound(ctx.message, {
      accountId,
      bot: identity,
      media: (message) => telegramInboundMedia(message, files),
      nativeCommands,
    });
    if (inbound === undefined) return;
    const albumId = ctx.message.media_group_id;
    if (albumId !== undefined) {
      record(ctx.update.update_id, { waiting: albums.add(`${ctx.message.chat.id}:${albumId}`, inbound) });
    } else if (!(await handOver(inbound))) record(ctx.update.update_id, INTERRUPTED);
  });
  bot.on("message_reaction", async (ctx) => {
    if (signal.aborted) return record(ctx.update.update_id, INTERRUPTED);
    if (context.onReaction === undefined) return;
    // A quick reaction can arrive before our send of the reacted message has returned its id.
    await sentMessages.settled(String(ctx.messageReaction.chat.id));
    for (const reaction of reactionUpdateToInbound(ctx.messageReaction, {
      accountId,
      bot: identity,
      sentMessages,
    })) {
      try {
        await context.onReaction(reaction);
      } catch (error) {
        logger.error("telegram inbound reaction failed in the gateway", { error: describeForLog(error) });
      }
    }
  });
  if (context.commands !== undefined && context.commands.length > 0) {
    // Not awaited: the menu is a convenience, and a slow setMyCommands must not hold the start.
    void registerNativeCommands(bot.api, context.commands, { accountId, logger, signal });
  }

  let server: Server | undefined;
  let webhookAddress: AddressInfo | undefined;
  let loop: Promise<void>;
  const onConnected = () => {
    context.setStatus({ connected: true, lastError: null });
    logger.info("telegram connected", { username: identity.username, mode: config.mode });
  };

  if (!polling && config.webhook !== undefined) {
    const webhook = config.webhook;
    const path = webhook.path ?? new URL(webhook.url).pathname;
    const callback = webhookCallback(bot, "http", {
      ...(webhook.secretToken === undefined ? {} : { secretToken: webhook.secretToken }),
      // The gateway may hold onInbound for a whole agent turn; Telegram must get its 200 before redelivering.
      onTimeout: "return",
    });
    server = createServer((request, response) => {
      if (request.method !== "POST" || new URL(request.url ?? "/", "http://localhost").pathname !== path) {
        response.writeHead(404).end();
        return;
      }
      callback(request, response).catch((error: unknown) => {
        logger.warn("telegram webhook request failed", { error: describeForLog(error) });
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    try {
      webhookAddress = await listen(server, webhook.host, webhook.port);
    } catch (error) {
      unregister();
      throw fail(
        new TelegramChannelError(
          "TELEGRAM_WEBHOOK_LISTEN_FAILED",
          `cannot listen for Telegram webhooks on ${webhook.host}:${webhook.port} (${describeForLog(error)}): ` +
            "choose a free channels.telegram.webhook.port",
          { cause: error },
        ),
      );
    }
    try {
      await bot.api.setWebhook(
        webhook.url,
        {
          allowed_updates: [...ALLOWED_UPDATES],
          ...(webhook.secretToken === undefined ? {} : { secret_token: webhook.secretToken }),
        },
        toGrammySignal(signal),
      );
    } catch (error) {
      unregister();
      server.closeAllConnections();
      server.close();
      throw fail(error);
    }
    onConnected();
    loop = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  } else {
    let connected!: () => void;
    const started = new Promise<void>((resolve) => {
      connected = resolve;
    });
    try {
      // A webhook left set by an earlier deployment makes every getUpdates fail with 409.
      await bot.api.deleteWebhook({ drop_pending_updates: false }, toGrammySignal(signal));
    } catch (error) {
      unregister();
      throw fail(error);
    }
    const initialOffset = await readResumeOffset(context.state, identity.id, logger);
    const onHandled = updateOffsetRecorder(context.state, identity.id, logger);
    loop = runLongPolling({
      ...(initialOffset === undefined ? {} : { initialOffset }),
      ...(onHandled ? { onHandled } : {}),
      bot,
      timeoutSeconds: config.pollTimeoutSeconds,
      signal,
      onConnected: () => {
        onConnected();
        connected();
      },
      handleUpdate: async (update) => {
        await bot.handleUpdate(update);
        const outcome = outcomes.get(update.update_id) ?? HANDED_OVER;
        outcomes.delete(update.update_id);
        return outcome;
      },
    });
    try {
      await Promise.race([started, loop]);
    } catch (error) {
      unregister();
      throw fail(error);
    }
  }

  const done = loop.then(
    () => undefined,
    (error: unknown) => {
      const failure = fail(error);
      logger.error("telegram polling stopped", { error: failure.message, code: failure.code });
      throw failure;
    },
  );
  const finished = done.finally(() => {
    unregister();
    controller.abort();
    server?.closeAllConnections();
    server?.close();
  });
  // `done` is for whoever watches the account; nobody watching must not make its failure unhandled.
  finished.catch(() => undefined);

  const stop = async (): Promise<void> => {
    controller.abort();
    await finished.catch(() => undefined);
    context.setStatus({ connected: false });
  };
  context.signal.addEventListener("abort", () => void stop(), { once: true });
  if (context.signal.aborted) await stop();

  return { stop, done: finished, ...(webhookAddress === undefined ? {} : { webhookAddress }) };
}
