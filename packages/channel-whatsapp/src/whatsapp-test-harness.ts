import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelAccountContext, InboundMessage, InboundReaction } from "@openclaw/plugin-sdk";
import {
  createFakeWhatsAppSocketFactory,
  type FakeWhatsAppSocket,
  type FakeWhatsAppSocketFactory,
} from "@openclaw/testing";
import { afterEach, beforeEach, expect } from "vitest";
import type { WhatsAppAccountHandle } from "./whatsapp-account.js";
import { type WhatsAppConfig, type WhatsAppConfigInput, WhatsAppConfigSchema } from "./whatsapp-config.js";
import { createWhatsAppPlugin, type WhatsAppPlugin } from "./whatsapp-plugin.js";
import type { MakeWhatsAppSocket } from "./whatsapp-socket.js";

/** Shared by the adapter's test files: an account context that records, and a linked account on a fake socket. */

export type Status = { connected?: boolean; lastError?: string | null };

export interface AccountProbe {
  context: ChannelAccountContext<WhatsAppConfig>;
  controller: AbortController;
  inbound: InboundMessage[];
  reactions: InboundReaction[];
  statuses: Status[];
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  nextInbound(): Promise<InboundMessage>;
  nextReaction(): Promise<InboundReaction>;
  /** Resolves once a reported status satisfies `predicate` (checked on every setStatus). */
  status(predicate: (status: Status) => boolean): Promise<Status>;
}

function queue<T>(): { items: T[]; push(item: T): void; next(): Promise<T> } {
  const items: T[] = [];
  const waiters: ((item: T) => void)[] = [];
  return {
    items,
    push(item) {
      items.push(item);
      waiters.shift()?.(item);
    },
    next: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

export function accountContext(config: WhatsAppConfig, accountId = "default"): AccountProbe {
  const inbound = queue<InboundMessage>();
  const reactions = queue<InboundReaction>();
  const statuses: Status[] = [];
  const statusWaiters = new Set<(status: Status) => void>();
  const logs: AccountProbe["logs"] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const controller = new AbortController();
  return {
    controller,
    inbound: inbound.items,
    reactions: reactions.items,
    statuses,
    logs,
    context: {
      accountId,
      config,
      logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
      signal: controller.signal,
      onInbound: (message) => inbound.push(message),
      onReaction: (reaction) => reactions.push(reaction),
      setStatus(patch) {
        statuses.push(patch);
        for (const waiter of statusWaiters) waiter(patch);
      },
    },
    nextInbound: inbound.next,
    nextReaction: reactions.next,
    status: (predicate) => {
      const seen = statuses.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const waiter = (status: Status) => {
          if (!predicate(status)) return;
          statusWaiters.delete(waiter);
          resolve(status);
        };
        statusWaiters.add(waiter);
      });
    },
  };
}

export const alice = "15551234567@s.whatsapp.net";
export const team = "120363424282127706@g.us";
export const botJid = "15550001111@s.whatsapp.net";

export interface WhatsAppHarness {
  root: string;
  factory: FakeWhatsAppSocketFactory;
  plugin: WhatsAppPlugin;
  handles: WhatsAppAccountHandle[];
  /** Makes sockets from whatever `factory` is at the time (a test may swap it). */
  makeSocket: MakeWhatsAppSocket;
  configFor(extra?: WhatsAppConfigInput): WhatsAppConfig;
  start(probe: AccountProbe, on?: WhatsAppPlugin): Promise<WhatsAppAccountHandle>;
  /** Starts an account and links it as a phone would: QR code shown, then scanned. */
  linked(extra?: WhatsAppConfigInput): Promise<{ probe: AccountProbe; socket: FakeWhatsAppSocket }>;
}

/** A fresh state dir, fake socket factory and plugin for each test; every started account stops after it. */
export function useWhatsAppHarness(): WhatsAppHarness {
  const h: WhatsAppHarness = {
    root: "",
    factory: createFakeWhatsAppSocketFactory(),
    plugin: undefined as unknown as WhatsAppPlugin,
    handles: [],
    makeSocket: (config) => h.factory.makeSocket(config),
    configFor: (extra = {}) => WhatsAppConfigSchema.parse({ authDir: join(h.root, "auth"), ...extra }),
    async start(probe, on = h.plugin) {
      const handle = (await on.startAccount(probe.context)) as WhatsAppAccountHandle;
      h.handles.push(handle);
      return handle;
    },
    async linked(extra = {}) {
      const probe = accountContext(h.configFor(extra));
      await h.start(probe);
      const socket = await h.factory.socket(0);
      expect(socket.qrs).toHaveLength(1);
      socket.open();
      await probe.status((s) => s.connected === true);
      return { probe, socket };
    },
  };
  beforeEach(async () => {
    h.root = await mkdtemp(join(tmpdir(), "openclaw-whatsapp-"));
    h.factory = createFakeWhatsAppSocketFactory();
    h.plugin = createWhatsAppPlugin({ makeSocket: h.makeSocket });
  });
  afterEach(async () => {
    await Promise.all(h.handles.splice(0).map((handle) => handle.stop()));
    await h.factory.close();
    await rm(h.root, { recursive: true, force: true });
  });
  return h;
}
