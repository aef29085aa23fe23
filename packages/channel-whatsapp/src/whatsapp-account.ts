import { rm } from "node:fs/promises";
import type { ChannelAccountContext, ChannelAccountHandle, InboundReaction } from "@openclaw/plugin-sdk";
import { WHATSAPP_LOGGED_OUT_MESSAGE, WhatsAppChannelError } from "./whatsapp-channel-error.js";
import type { WhatsAppConfig } from "./whatsapp-config.js";
import { whatsappMessageToInbound } from "./whatsapp-message-to-inbound.js";
import type { WhatsAppQrHub } from "./whatsapp-qr.js";
import { WhatsAppReactionReader } from "./whatsapp-reaction-to-inbound.js";
import {
  type BaileysModule,
  baileysLogger,
  type MakeWhatsAppSocket,
  type WhatsAppConnectionUpdate,
  type WhatsAppMessage,
  type WhatsAppSocket,
  type WhatsAppSocketEventMap,
} from "./whatsapp-socket.js";

/** Baileys' DisconnectReason codes that reconnecting cannot fix. */
const LOGGED_OUT = 401;
const FORBIDDEN = 403;
const MULTIDEVICE_MISMATCH = 411;
const CONNECTION_REPLACED = 440;
/** Sent right after a QR scan: the socket must be made again with the new credentials, at once. */
const RESTART_REQUIRED = 515;
/**
 * Messages received and sent lately, by id: a reply quotes one (`replyTo`) and a reaction needs its full key (the
 * sender in groups). Older ones are quoted no more, and reacting to them in a group fails with a clear error.
 */
const RECENT_MESSAGES = 1_000;
/** OpenClaw's default for `channels.whatsapp.mediaMaxMb`. */
const DEFAULT_MEDIA_MAX_MB = 50;
const END_TIMEOUT_MS = 300;

export interface WhatsAppAccountRuntime {
  accountId: string;
  authDir: string;
  logger: ChannelAccountContext["logger"];
  socket(): WhatsAppSocket | undefined;
  isOpen(): boolean;
  /** A received or sent message by id, while it is among the last {@link RECENT_MESSAGES}. */
  recent(messageId: string): WhatsAppMessage | undefined;
  remember(message: WhatsAppMessage): void;
  /** The largest file `sendMedia` sends for this account (`mediaMaxMb`). */
  mediaMaxBytes: number;
  stop(): Promise<void>;
}

export interface WhatsAppAccountHandle extends ChannelAccountHandle {
  /** Settles when the account stops: resolves after stop() or ctx.signal, rejects with what ended it. */
  readonly done: Promise<void>;
}

function statusCodeOf(update: Partial<WhatsAppConnectionUpdate>): number | undefined {
  const error = update.lastDisconnect?.error as { output?: { statusCode?: unknown } } | undefined;
  const code = error?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface StartWhatsAppAccountOptions {
  baileys: BaileysModule;
  makeSocket: MakeWhatsAppSocket;
  authDir: string;
  qr: WhatsAppQrHub;
  register(runtime: WhatsAppAccountRuntime): () => void;
}

/**
 * Runs one account: connects with the stored credentials (or shows QR codes until a phone links the device),
 * reconnects with backoff after recoverable disconnects and stops for good when WhatsApp logs the device out.
 * Resolves once the connection is open or a QR code waits to be scanned.
 */
export async function startWhatsAppAccount(
  context: ChannelAccountContext<WhatsAppConfig>,
  options: StartWhatsAppAccountOptions,
): Promise<WhatsAppAccountHandle> {
  const { accountId, config, logger } = context;
  const { baileys, qr, authDir } = options;
  const { state, saveCreds } = await baileys.useMultiFileAuthState(authDir);
  const socketLogger = baileysLogger(logger, { accountId });
  // One key cache per account, not per connection attempt: reconnects keep the warmed-up Signal keys.
  const keys = baileys.makeCacheableSignalKeyStore(state.keys, socketLogger);

  const controller = new AbortController();
  const { signal } = controller;
  let socket: WhatsAppSocket | undefined;
  let open = false;
  let detach: (() => void) | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let saving: Promise<void> = Promise.resolve();
  const recent = new Map<string, WhatsAppMessage>();
  const remember = (message: WhatsAppMessage): void => {
    const id = message.key.id;
    if (!id) return;
    recent.delete(id);
    recent.set(id, message);
    if (recent.size > RECENT_MESSAGES) recent.delete(recent.keys().next().value as string);
  };
  const reactions = new WhatsAppReactionReader(accountId);

  let starting = true;
  let settleStart!: (error?: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    settleStart = (error) => {
      starting = false;
      if (error) reject(error);
      else resolve();
    };
  });
  started.catch(() => undefined);
  let settleDone!: (error?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    settleDone = (error) => (error ? reject(error) : resolve());
  });
  done.catch(() => undefined);

  const shutdown = async (): Promise<void> => {
    controller.abort();
    clearTimeout(reconnectTimer);
    detach?.();
    detach = undefined;
    open = false;
    qr.clear(accountId);
    const current = socket;
    socket = undefined;
    if (current !== undefined) await withTimeout(current.end(undefined), END_TIMEOUT_MS);
    await withTimeout(saving, END_TIMEOUT_MS);
  };

  const giveUp = async (failure: WhatsAppChannelError, loggedOut: boolean): Promise<void> => {
    await shutdown();
    qr.setState(accountId, loggedOut ? "logged-out" : "stopped");
    // Credentials of an unlinked device are useless: removing them makes the next start show a fresh QR code.
    if (loggedOut) await rm(authDir, { recursive: true, force: true });
    logger.error(failure.message, { code: failure.code });
    context.setStatus({ connected: false, lastError: failure.message });
    settleStart(failure);
    settleDone(failure);
  };

  const onClose = (update: Partial<WhatsAppConnectionUpdate>): void => {
    detach?.();
    detach = undefined;
    socket = undefined;
    const wasOpen = open;
    open = false;
    const code = statusCodeOf(update);
    if (code === LOGGED_OUT) {
      void giveUp(new WhatsAppChannelError("WHATSAPP_LOGGED_OUT", WHATSAPP_LOGGED_OUT_MESSAGE), true);
      return;
    }
    if (code === CONNECTION_REPLACED || code === FORBIDDEN || code === MULTIDEVICE_MISMATCH) {
      const reason =
        code === CONNECTION_REPLACED
          ? "another WhatsApp Web session with the same credentials replaced this one: stop the other gateway or client"
          : `WhatsApp refused the session (${code}): run \`openclaw channels login whatsapp\` to link the device again`;
      void giveUp(new WhatsAppChannelError("WHATSAPP_SESSION_REPLACED", reason), false);
      return;
    }
    if (code === RESTART_REQUIRED) {
      connect();
      return;
    }
    if (wasOpen) context.setStatus({ connected: false });
    failures += 1;
    const detail = describe(update.lastDisconnect?.error ?? "connection closed");
    // While starting, a failure is reported at once: quiet retries here would make an unreachable WhatsApp look
    // like a start that takes minutes. The gateway's backoff retries; reconnect.* is for connections that were up.
    if (starting || failures > config.reconnect.maxAttempts) {
      void giveUp(
        new WhatsAppChannelError(
          "WHATSAPP_CONNECTION_FAILED",
          starting
            ? `cannot connect to WhatsApp (${detail}): check the network or a proxy; the gateway retries with backoff`
            : `WhatsApp connection failed ${failures} times in a row (last: ${detail}): check the network; the gateway retries with backoff`,
        ),
        false,
      );
      return;
    }
    const delay = Math.min(
      config.reconnect.maxDelayMs,
      config.reconnect.initialDelayMs * 2 ** (failures - 1),
    );
    qr.setState(accountId, "reconnecting");
    if (failures > 1) {
      // The first retry failed too: no blip but an outage. Shown now (lastError alone: still reconnecting), not
      // only once reconnect.maxAttempts are spent.
      context.setStatus({
        lastError: `WhatsApp unreachable: reconnect attempt ${failures - 1} of ${config.reconnect.maxAttempts} failed (${detail}); retrying in ${Math.round(delay / 100) / 10} s`,
      });
    }
    logger.warn("whatsapp disconnected; reconnecting", {
      code,
      error: detail,
      attempt: failures,
      delayMs: delay,
    });
    reconnectTimer = setTimeout(connect, delay);
  };

  const onConnectionUpdate = (update: WhatsAppSocketEventMap["connection.update"]): void => {
    if (signal.aborted) return;
    if (typeof update.qr === "string") {
      qr.setState(accountId, "qr");
      qr.publish(accountId, update.qr);
      logger.info("WhatsApp is not linked: scan the QR code with WhatsApp > Linked devices > Link a device", {
        qr: update.qr,
      });
      context.setStatus({ connected: false });
      settleStart();
    }
    if (update.connection === "open") {
      open = true;
      failures = 0;
      qr.clear(accountId);
      qr.setState(accountId, "open");
      context.setStatus({ connected: true, lastError: null });
      logger.info("whatsapp connected", { user: socket?.user?.id });
      settleStart();
    } else if (update.connection === "close") {
      onClose(update);
    }
  };

  const onUpsert = async ({ messages, type }: WhatsAppSocketEventMap["messages.upsert"]): Promise<void> => {
    // "append" is history synced from the phone: already answered, or never meant for the agent.
    if (type !== "notify") return;
    const current = socket;
    for (const message of messages) {
      if (signal.aborted || current === undefined) return;
      const reaction = reactions.read(message);
      if (reaction !== undefined) {
        await deliverReaction(reaction);
        continue;
      }
      const inbound = whatsappMessageToInbound(message, {
        accountId,
        self: current.user,
        media: baileys,
      });
      if (inbound === undefined) continue;
      remember(message);
      if (config.sendReadReceipts) {
        current.readMessages([message.key]).catch((error: unknown) => {
          logger.warn("whatsapp read receipt failed", { error: describe(error) });
        });
      }
      try {
        await context.onInbound(inbound);
      } catch (error) {
        // One message the gateway failed on must not stop the account.
        logger.error("whatsapp inbound message failed in the gateway", { error: describe(error) });
      }
    }
  };

  const deliverReaction = async (reaction: InboundReaction): Promise<void> => {
    try {
      await context.onReaction?.(reaction);
    } catch (error) {
      logger.error("whatsapp inbound reaction failed in the gateway", { error: describe(error) });
    }
  };

  function connect(): void {
    if (signal.aborted) return;
    qr.setState(accountId, "connecting");
    const created = options.makeSocket({
      auth: { creds: state.creds, keys },
      logger: socketLogger,
      // Stay "offline" so the phone keeps getting notifications.
      markOnlineOnConnect: false,
      syncFullHistory: false,
    });
    socket = created;
    const onCreds = () => {
      saving = saving.then(saveCreds).catch((error: unknown) => {
        logger.error("whatsapp credentials could not be saved", { error: describe(error), authDir });
      });
    };
    const onMessages = (upsert: WhatsAppSocketEventMap["messages.upsert"]) => void onUpsert(upsert);
    created.ev.on("creds.update", onCreds);
    created.ev.on("connection.update", onConnectionUpdate);
    created.ev.on("messages.upsert", onMessages);
    detach = () => {
      created.ev.off("creds.update", onCreds);
      created.ev.off("connection.update", onConnectionUpdate);
      created.ev.off("messages.upsert", onMessages);
    };
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await shutdown();
      qr.setState(accountId, "stopped");
      context.setStatus({ connected: false });
      settleStart();
      settleDone();
    })();
    return stopping;
  };

  const unregister = options.register({
    accountId,
    authDir,
    logger,
    socket: () => socket,
    isOpen: () => open,
    recent: (messageId) => recent.get(messageId),
    remember,
    mediaMaxBytes: Math.floor((config.mediaMaxMb ?? DEFAULT_MEDIA_MAX_MB) * 1024 * 1024),
    stop,
  });
  done.finally(unregister).catch(() => undefined);

  context.signal.addEventListener("abort", () => void stop(), { once: true });
  if (context.signal.aborted) await stop();
  else connect();

  await started;
  return { stop, done };
}
