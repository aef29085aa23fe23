import { rm } from "node:fs/promises";
import { type ChannelPlugin, createAccountRegistry, defineChannelPlugin } from "@openclaw/plugin-sdk";
import { startWhatsAppAccount, type WhatsAppAccountRuntime } from "./whatsapp-account.js";
import { resolveWhatsAppAuthDir } from "./whatsapp-auth-dir.js";
import { WhatsAppChannelError } from "./whatsapp-channel-error.js";
import { type WhatsAppConfig, WhatsAppConfigSchema } from "./whatsapp-config.js";
import { idToJid, isGroupJid, jidToId, whatsappSenderIds } from "./whatsapp-jid.js";
import { planMediaMessage, sendOrThrow } from "./whatsapp-outbound.js";
import { type WhatsAppLoginState, WhatsAppQrHub, type WhatsAppQrListener } from "./whatsapp-qr.js";
import { createWhatsAppQrLogin } from "./whatsapp-qr-login.js";
import {
  type BaileysModule,
  loadBaileys,
  type MakeWhatsAppSocket,
  type WhatsAppMessageKey,
  type WhatsAppSocket,
} from "./whatsapp-socket.js";

const WHATSAPP_WEB_SOCKET_URL = "wss://web.whatsapp.com/ws/chat";
/** WhatsApp's limit is far higher (65,536); 4096 keeps one reply readable on a phone. */
export const WHATSAPP_MAX_TEXT_LENGTH = 4096;
/** WhatsApp shows "typing…" until told otherwise; stop it if no message follows. */
const TYPING_PAUSE_MS = 10_000;
const LOGOUT_TIMEOUT_MS = 2_000;
/** OpenClaw's default `channels.whatsapp.mediaMaxMb` (50 MB); an account may set less. */
export const WHATSAPP_MAX_MEDIA_BYTES = 50 * 1024 * 1024;

export interface CreateWhatsAppPluginOptions {
  /** Makes the socket for each connection attempt; default Baileys' `makeWASocket`. Tests pass a fake. */
  makeSocket?: MakeWhatsAppSocket;
  /** Loads Baileys; default `import("baileys")`, done only when an account starts. */
  loadBaileys?: () => Promise<BaileysModule>;
}

/** The channel plugin plus what `openclaw channels login whatsapp` needs to show the QR code. */
export interface WhatsAppPlugin extends ChannelPlugin<WhatsAppConfig> {
  /** Calls `listener` with every new QR code of the account; returns the unsubscribe function. */
  onQr(accountId: string, listener: WhatsAppQrListener): () => void;
  /** The QR code currently waiting to be scanned, if any. */
  latestQr(accountId: string): string | undefined;
  /** Where the account's login stands; undefined before its first start. */
  loginState(accountId: string): WhatsAppLoginState | undefined;
}

/**
 * Creates the WhatsApp channel plugin. Each call has its own account table; the gateway uses
 * {@link whatsappPlugin}. Baileys is imported only when an account starts.
 */
export function createWhatsAppPlugin(options: CreateWhatsAppPluginOptions = {}): WhatsAppPlugin {
  const accounts = createAccountRegistry<WhatsAppAccountRuntime>(
    (accountId) =>
      new WhatsAppChannelError(
        "WHATSAPP_ACCOUNT_NOT_RUNNING",
        `WhatsApp account "${accountId}" is not running: start it with \`openclaw channels start whatsapp --account ${accountId}\``,
      ),
  );
  const authDirs = new Map<string, string>();
  const typing = new Map<string, NodeJS.Timeout>();
  const qr = new WhatsAppQrHub();
  const load = options.loadBaileys ?? loadBaileys;

  const runningAccount = accounts.running;

  const openSocket = (accountId: string): { runtime: WhatsAppAccountRuntime; socket: WhatsAppSocket } => {
    const runtime = runningAccount(accountId);
    const socket = runtime.socket();
    if (socket === undefined || !runtime.isOpen()) {
      throw new WhatsAppChannelError(
        "WHATSAPP_NOT_CONNECTED",
        qr.state(accountId) === "qr"
          ? `WhatsApp account "${accountId}" is not linked yet: run \`openclaw channels login whatsapp\` and scan the QR code`
          : `WhatsApp account "${accountId}" is reconnecting: try again in a few seconds`,
      );
    }
    return { runtime, socket };
  };

  /** Ends a pending "typing…" before a message to the same chat, as a person's client does. */
  const endTyping = async (accountId: string, jid: string, socket: WhatsAppSocket): Promise<void> => {
    const key = `${accountId}\u0000${jid}`;
    const timer = typing.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    typing.delete(key);
    await socket.sendPresenceUpdate("paused", jid).catch(() => undefined);
  };

  const plugin: ChannelPlugin<WhatsAppConfig> = defineChannelPlugin<WhatsAppConfig>({
    apiVersion: 1,
    id: "whatsapp",
    meta: {
      label: "WhatsApp",
      description:
        "WhatsApp as a linked device (Baileys): QR login, DMs, groups with mention gating, media both ways, reactions.",
    },
    configSchema: WhatsAppConfigSchema,
    senderIds: whatsappSenderIds,
    // Baileys' default socket URL; it has no config key, so a start-deadline error points at the network.
    platformEndpoint: () => ({ url: WHATSAPP_WEB_SOCKET_URL }),
    capabilities: {
      dms: true,
      groups: true,
      threads: false,
      reactions: true,
      typing: true,
      media: true,
      // Baileys can edit, but a live draft re-rendered on every phone in the chat is noise: replies go as blocks.
      edits: false,
      maxTextLength: WHATSAPP_MAX_TEXT_LENGTH,
      maxMediaBytes: WHATSAPP_MAX_MEDIA_BYTES,
    },

    async startAccount(context) {
      const baileys = await load();
      const authDir = resolveWhatsAppAuthDir(context.config.authDir, context.accountId);
      authDirs.set(context.accountId, authDir);
      return startWhatsAppAccount(context, {
        baileys,
        makeSocket: options.makeSocket ?? baileys.makeWASocket,
        authDir,
        qr,
        register: (runtime) => {
          const unregister = accounts.register(runtime);
          return () => {
            unregister();
            for (const [key, timer] of typing) {
              if (key.startsWith(`${runtime.accountId}\u0000`)) {
                clearTimeout(timer);
                typing.delete(key);
              }
            }
          };
        },
      });
    },

    async sendText({ accountId, to, text, replyTo }) {
      const { runtime, socket } = openSocket(accountId);
      const jid = idToJid(to);
      await endTyping(accountId, jid, socket);
      const quoted = replyTo === undefined ? undefined : runtime.recent(replyTo);
      const sent = await sendOrThrow(socket, jid, { text }, quoted);
      runtime.remember(sent);
      return { messageId: sent.key.id };
    },

    async sendMedia({ accountId, to, media, caption, replyTo }) {
      const { runtime, socket } = openSocket(accountId);
      const jid = idToJid(to);
      const plan = planMediaMessage(media, caption, runtime.mediaMaxBytes);
      await endTyping(accountId, jid, socket);
      const quoted = replyTo === undefined ? undefined : runtime.recent(replyTo);
      const sent = await sendOrThrow(socket, jid, plan.content, quoted);
      runtime.remember(sent);
      if (plan.followUpText !== undefined) {
        runtime.remember(await sendOrThrow(socket, jid, { text: plan.followUpText }, undefined));
      }
      return { messageId: sent.key.id };
    },

    async react({ accountId, to, messageId, emoji, remove }) {
      const { runtime, socket } = openSocket(accountId);
      const jid = idToJid(to);
      const known = runtime.recent(messageId)?.key;
      // In a group WhatsApp needs the original sender of the message; in a DM the chat says it all.
      if (known === undefined && isGroupJid(jid)) {
        throw new WhatsAppChannelError(
          "WHATSAPP_MESSAGE_UNKNOWN",
          `WhatsApp needs the sender of message ${messageId} in group ${jidToId(jid)} to react to it, and it is ` +
            "no longer among the recent messages this gateway remembers: react to a newer message",
        );
      }
      const key: WhatsAppMessageKey = known ?? { remoteJid: jid, fromMe: false, id: messageId };
      await sendOrThrow(socket, jid, { react: { text: remove ? "" : emoji, key } }, undefined);
    },

    async sendTyping({ accountId, to }) {
      const { socket } = openSocket(accountId);
      const jid = idToJid(to);
      await socket.sendPresenceUpdate("composing", jid);
      const key = `${accountId}\u0000${jid}`;
      clearTimeout(typing.get(key));
      const timer = setTimeout(() => {
        typing.delete(key);
        void socket.sendPresenceUpdate("paused", jid).catch(() => undefined);
      }, TYPING_PAUSE_MS);
      timer.unref();
      typing.set(key, timer);
    },

    async probe({ accountId }) {
      const runtime = accounts.get(accountId);
      if (runtime === undefined) return { ok: false, detail: "not running" };
      const user = runtime.socket()?.user;
      if (runtime.isOpen() && user !== undefined) return { ok: true, detail: jidToId(user.id) };
      return {
        ok: false,
        detail: qr.state(accountId) === "qr" ? "waiting for the QR code to be scanned" : "connecting",
      };
    },

    async logout({ accountId }) {
      const runtime = accounts.get(accountId);
      if (runtime !== undefined) {
        const socket = runtime.socket();
        // Unlink on WhatsApp's side too, so the phone's "Linked devices" list drops this gateway.
        if (socket !== undefined && runtime.isOpen()) {
          await Promise.race([
            socket.logout().catch(() => undefined),
            new Promise((resolve) => setTimeout(resolve, LOGOUT_TIMEOUT_MS).unref()),
          ]);
        }
        await runtime.stop();
      }
      const authDir =
        runtime?.authDir ?? authDirs.get(accountId) ?? resolveWhatsAppAuthDir(undefined, accountId);
      await rm(authDir, { recursive: true, force: true });
      qr.clear(accountId);
      qr.setState(accountId, "logged-out");
    },

    qrLogin: createWhatsAppQrLogin({
      qr,
      isRunning: (accountId) => accounts.get(accountId) !== undefined,
      // Called only after defineChannelPlugin returned, so `plugin` is set by then.
      logout: async (accountId): Promise<void> => plugin.logout?.({ accountId }),
    }),
  });

  return {
    ...plugin,
    onQr: (accountId, listener) => qr.subscribe(accountId, listener),
    latestQr: (accountId) => qr.latest(accountId),
    loginState: (accountId) => qr.state(accountId),
  };
}

export const whatsappPlugin: WhatsAppPlugin = createWhatsAppPlugin();
