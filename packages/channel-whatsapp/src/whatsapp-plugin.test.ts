import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelAccountContext, ChannelQrLogin, InboundMessage } from "@openclaw/plugin-sdk";
import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import {
  createFakeWhatsAppSocketFactory,
  DEFAULT_FAKE_WHATSAPP_USER,
  FAKE_WHATSAPP_DISCONNECT,
  type FakeWhatsAppSocket,
  type FakeWhatsAppSocketFactory,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WhatsAppAccountHandle } from "./whatsapp-account.js";
import { WHATSAPP_LOGGED_OUT_MESSAGE } from "./whatsapp-channel-error.js";
import { type WhatsAppConfig, type WhatsAppConfigInput, WhatsAppConfigSchema } from "./whatsapp-config.js";
import { createWhatsAppPlugin, type WhatsAppPlugin } from "./whatsapp-plugin.js";
import type { BaileysModule, MakeWhatsAppSocket } from "./whatsapp-socket.js";

type Status = { connected?: boolean; lastError?: string | null };

interface AccountProbe {
  context: ChannelAccountContext<WhatsAppConfig>;
  controller: AbortController;
  inbound: InboundMessage[];
  statuses: Status[];
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  nextInbound(): Promise<InboundMessage>;
  /** Resolves once a reported status satisfies `predicate` (checked on every setStatus). */
  status(predicate: (status: Status) => boolean): Promise<Status>;
}

function accountContext(config: WhatsAppConfig, accountId = "default"): AccountProbe {
  const inbound: InboundMessage[] = [];
  const inboundWaiters: ((message: InboundMessage) => void)[] = [];
  const statuses: Status[] = [];
  const statusWaiters = new Set<(status: Status) => void>();
  const logs: AccountProbe["logs"] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const controller = new AbortController();
  return {
    controller,
    inbound,
    statuses,
    logs,
    context: {
      accountId,
      config,
      logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
      signal: controller.signal,
      onInbound(message) {
        inbound.push(message);
        inboundWaiters.shift()?.(message);
      },
      setStatus(patch) {
        statuses.push(patch);
        for (const waiter of statusWaiters) waiter(patch);
      },
    },
    nextInbound: () => new Promise((resolve) => inboundWaiters.push(resolve)),
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

const alice = "15551234567@s.whatsapp.net";
const team = "120363424282127706@g.us";
const botJid = "15550001111@s.whatsapp.net";

let root: string;
let factory: FakeWhatsAppSocketFactory;
let plugin: WhatsAppPlugin;
const handles: WhatsAppAccountHandle[] = [];

const makeSocket: MakeWhatsAppSocket = (config) => factory.makeSocket(config);

function configFor(extra: WhatsAppConfigInput = {}): WhatsAppConfig {
  return WhatsAppConfigSchema.parse({ authDir: join(root, "auth"), ...extra });
}

async function start(probe: AccountProbe, on: WhatsAppPlugin = plugin): Promise<WhatsAppAccountHandle> {
  const handle = (await on.startAccount(probe.context)) as WhatsAppAccountHandle;
  handles.push(handle);
  return handle;
}

/** Starts an account and links it as a phone would: QR code shown, then scanned. */
async function linked(
  extra: WhatsAppConfigInput = {},
): Promise<{ probe: AccountProbe; socket: FakeWhatsAppSocket }> {
  const probe = accountContext(configFor(extra));
  await start(probe);
  const socket = await factory.socket(0);
  expect(socket.qrs).toHaveLength(1);
  socket.open();
  await probe.status((s) => s.connected === true);
  return { probe, socket };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-whatsapp-"));
  factory = createFakeWhatsAppSocketFactory();
  plugin = createWhatsAppPlugin({ makeSocket });
});

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.stop()));
  await rm(root, { recursive: true, force: true });
});

describe("whatsapp login", () => {
  it("shows the QR code, links, stops for good when logged out, and shows a new QR code on the next start", async () => {
    const probe = accountContext(configFor());
    const seen: string[] = [];
    const unsubscribe = plugin.onQr("default", (qr) => seen.push(qr));
    const handle = await start(probe);
    const first = await factory.socket(0);

    // startAccount resolves while the QR code waits to be scanned, so the gateway does not block on a human.
    expect(first.qrs).toHaveLength(1);
    expect(plugin.latestQr("default")).toBe(first.qrs[0]);
    expect(seen).toEqual(first.qrs);
    expect(plugin.loginState("default")).toBe("qr");
    expect(probe.statuses).toEqual([{ connected: false }]);
    expect(probe.logs.find((l) => l.level === "info" && l.fields?.qr === first.qrs[0])?.message).toMatch(
      /scan the QR code/,
    );
    await expect(plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).resolves.toEqual({
      ok: false,
      detail: "waiting for the QR code to be scanned",
    });

    // After the scan WhatsApp asks for a restart (515); the next socket opens with the new credentials.
    first.open();
    await probe.status((s) => s.connected === true);
    expect(plugin.latestQr("default")).toBeUndefined();
    expect(plugin.loginState("default")).toBe("open");
    first.close(FAKE_WHATSAPP_DISCONNECT.restartRequired, "Stream Errored (restart required)");
    const second = await factory.socket(1);
    await new Promise<void>((resolve) =>
      second.ev.on("connection.update", (u) => u.connection === "open" && resolve()),
    );
    expect(second.qrs).toHaveLength(0);
    await expect(plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).resolves.toEqual({
      ok: true,
      detail: "15550001111",
    });

    // Logged out from the phone: a clear error, no reconnect loop, credentials gone.
    second.close(FAKE_WHATSAPP_DISCONNECT.loggedOut, "Connection Failure");
    await expect(handle.done).rejects.toMatchObject({ code: "WHATSAPP_LOGGED_OUT" });
    expect(probe.statuses.at(-1)).toEqual({ connected: false, lastError: WHATSAPP_LOGGED_OUT_MESSAGE });
    expect(factory.sockets).toHaveLength(2);
    expect(plugin.loginState("default")).toBe("logged-out");
    await expect(access(join(root, "auth"))).rejects.toThrow();

    // A fresh login: a new QR code, then open again.
    const again = accountContext(configFor());
    await start(again);
    const third = await factory.socket(2);
    expect(third.qrs).toHaveLength(1);
    expect(plugin.latestQr("default")).toBe(third.qrs[0]);
    expect(seen).toEqual([...first.qrs, ...third.qrs]);
    third.open();
    await again.status((s) => s.connected === true);
    unsubscribe();
  });

  it("keeps the auth state on disk: a restarted gateway opens without a QR code", async () => {
    const { probe } = await linked();
    // A gateway restart: the account stops, a new plugin instance starts it again from the files alone.
    await Promise.all(handles.splice(0).map((handle) => handle.stop()));
    expect(probe.statuses.at(-1)).toEqual({ connected: false });
    const creds = JSON.parse(await readFile(join(root, "auth", "creds.json"), "utf8")) as {
      me?: { id: string };
      registered?: boolean;
    };
    expect(creds.me?.id).toBe(DEFAULT_FAKE_WHATSAPP_USER.id);
    expect(creds.registered).toBe(true);

    factory = createFakeWhatsAppSocketFactory();
    const restarted = createWhatsAppPlugin({ makeSocket });
    const after = accountContext(configFor());
    await start(after, restarted);
    await after.status((s) => s.connected === true);
    expect((await factory.socket(0)).qrs).toHaveLength(0);
    expect(after.statuses).toEqual([{ connected: true, lastError: null }]);
  });

  it("starting with credentials WhatsApp has revoked fails with the logged-out error and clears them", async () => {
    await linked();
    await Promise.all(handles.splice(0).map((handle) => handle.stop()));
    factory = createFakeWhatsAppSocketFactory({ autoConnect: false });
    const probe = accountContext(configFor());
    const starting = plugin.startAccount(probe.context);
    (await factory.socket(0)).close(FAKE_WHATSAPP_DISCONNECT.loggedOut);
    await expect(starting).rejects.toMatchObject({
      code: "WHATSAPP_LOGGED_OUT",
      message: WHATSAPP_LOGGED_OUT_MESSAGE,
    });
    await expect(access(join(root, "auth", "creds.json"))).rejects.toThrow();
  });

  it("logout() unlinks a running account and deletes its auth dir", async () => {
    const { socket } = await linked();
    await plugin.logout?.({ accountId: "default" });
    expect(socket.loggedOut).toBe(true);
    await expect(access(join(root, "auth"))).rejects.toThrow();
    await expect(
      plugin.sendText({ accountId: "default", to: "15551234567", text: "hi" }),
    ).rejects.toMatchObject({
      code: "WHATSAPP_ACCOUNT_NOT_RUNNING",
    });
  });

  it("imports Baileys only when an account starts", async () => {
    let loads = 0;
    const lazy = createWhatsAppPlugin({
      makeSocket,
      loadBaileys: async () => {
        loads += 1;
        return import("baileys") as Promise<BaileysModule>;
      },
    });
    expect(loads).toBe(0);
    await start(accountContext(configFor()), lazy);
    expect(loads).toBe(1);
  });
});

describe("whatsapp qrLogin", () => {
  function qrLoginOf(on: WhatsAppPlugin = plugin): ChannelQrLogin {
    const qrLogin = on.qrLogin;
    if (qrLogin === undefined) throw new Error("the WhatsApp plugin should implement qrLogin");
    return qrLogin;
  }

  /** What the gateway does for `restartAccount`: stop the running handle, start the account again. */
  function gatewayRestarts(): { count(): number; restartAccount(): Promise<void> } {
    let restarts = 0;
    return {
      count: () => restarts,
      async restartAccount() {
        restarts += 1;
        await Promise.all(handles.splice(0).map((handle) => handle.stop()));
        await start(accountContext(configFor()));
      },
    };
  }

  it("start runs an account that is not running and returns its QR code; wait follows a rotation to the link", async () => {
    const gateway = gatewayRestarts();
    const qrLogin = qrLoginOf();

    const started = await qrLogin.start({
      accountId: "default",
      force: false,
      timeoutMs: 5_000,
      restartAccount: gateway.restartAccount,
    });
    const socket = await factory.socket(0);
    expect(gateway.count()).toBe(1);
    expect(started).toEqual({
      linked: false,
      qr: socket.qrs[0],
      message: expect.stringMatching(/Linked devices/),
    });

    // Nothing changed before the timeout: the same code again.
    await expect(
      qrLogin.wait({ accountId: "default", timeoutMs: 0, currentQr: socket.qrs[0] }),
    ).resolves.toEqual({
      linked: false,
      qr: socket.qrs[0],
      message: "Still waiting for the QR code to be scanned.",
    });

    // WhatsApp rotates the code while the person is looking: the wait ends with the new one.
    const rotating = qrLogin.wait({ accountId: "default", timeoutMs: 10_000, currentQr: socket.qrs[0] });
    const next = socket.emitQr();
    await expect(rotating).resolves.toMatchObject({ linked: false, qr: next });

    const linking = qrLogin.wait({ accountId: "default", timeoutMs: 10_000, currentQr: next });
    socket.open();
    await expect(linking).resolves.toEqual({ linked: true, message: "WhatsApp is linked." });

    // Linked: start neither restarts nor offers a code.
    const again = await qrLogin.start({
      accountId: "default",
      force: false,
      timeoutMs: 1_000,
      restartAccount: gateway.restartAccount,
    });
    expect(again.linked).toBe(true);
    expect(again.qr).toBeUndefined();
    expect(gateway.count()).toBe(1);
  });

  it("force unlinks a linked account, restarts it and returns a fresh QR code", async () => {
    const { socket } = await linked();
    const gateway = gatewayRestarts();

    const forced = await qrLoginOf().start({
      accountId: "default",
      force: true,
      timeoutMs: 5_000,
      restartAccount: gateway.restartAccount,
    });

    expect(socket.loggedOut).toBe(true);
    expect(gateway.count()).toBe(1);
    const fresh = await factory.socket(1);
    expect(forced).toMatchObject({ linked: false, qr: fresh.qrs[0] });
  });

  it("an account WhatsApp logged out is restarted by start; a wait on it ends instead of hanging", async () => {
    const { socket } = await linked();
    const handle = handles[0];
    socket.close(FAKE_WHATSAPP_DISCONNECT.loggedOut, "Connection Failure");
    await expect(handle?.done).rejects.toMatchObject({ code: "WHATSAPP_LOGGED_OUT" });
    await expect(qrLoginOf().wait({ accountId: "default", timeoutMs: 10_000 })).resolves.toMatchObject({
      linked: false,
      message: expect.stringMatching(/start linking again/),
    });

    const gateway = gatewayRestarts();
    const started = await qrLoginOf().start({
      accountId: "default",
      force: false,
      timeoutMs: 5_000,
      restartAccount: gateway.restartAccount,
    });
    expect(gateway.count()).toBe(1);
    expect(started).toMatchObject({ linked: false, qr: (await factory.socket(1)).qrs[0] });
  });

  it("start without a QR code in time answers instead of failing", async () => {
    factory = createFakeWhatsAppSocketFactory({ autoConnect: false });
    const gateway = gatewayRestarts();
    const starting = qrLoginOf().start({
      accountId: "default",
      force: false,
      timeoutMs: 20,
      restartAccount: async () => {
        // The gateway does not hold the caller on a start that hangs (its startWaitMs); neither does this one.
        void gateway.restartAccount();
      },
    });
    await expect(starting).resolves.toEqual({
      linked: false,
      message: expect.stringMatching(/has not offered a QR code yet/),
    });
    // The account that never connected is still registered: logout stops it.
    await plugin.logout?.({ accountId: "default" });
  });
});

describe("whatsapp connection", () => {
  it("reconnects with backoff after a recoverable disconnect without reporting an error", async () => {
    const { probe, socket } = await linked({ reconnect: { initialDelayMs: 1 } });
    socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    const next = await factory.socket(1);
    await new Promise<void>((resolve) =>
      next.ev.on("connection.update", (u) => u.connection === "open" && resolve()),
    );
    await probe.status((s) => s.connected === true && probe.statuses.indexOf(s) > 1);
    expect(probe.statuses.filter((s) => typeof s.lastError === "string")).toEqual([]);
    expect(socket.listenerCount("messages.upsert")).toBe(0);
  });

  it("shows an outage as lastError from the first failed reconnect, and clears it once connected again", async () => {
    const { probe, socket } = await linked({ reconnect: { initialDelayMs: 1, maxAttempts: 6 } });
    socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    (await factory.socket(1)).close(
      FAKE_WHATSAPP_DISCONNECT.connectionLost,
      "WebSocket Error (ECONNREFUSED)",
    );
    const down = await probe.status((s) => typeof s.lastError === "string");
    expect(down).toEqual({
      lastError: expect.stringMatching(
        /^WhatsApp unreachable: reconnect attempt 1 of 6 failed \(WebSocket Error/,
      ),
    });
    // The account kept reconnecting by itself (a third socket) rather than ending.
    await probe.status((s) => s.connected === true && s.lastError === null && probe.statuses.indexOf(s) > 1);
    expect(factory.sockets).toHaveLength(3);
  });

  it("gives up after reconnect.maxAttempts failures in a row so the gateway restarts it", async () => {
    const { probe, socket } = await linked({ reconnect: { initialDelayMs: 1, maxAttempts: 1 } });
    const handle = handles[0];
    socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    const retry = await factory.socket(1);
    retry.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    await expect(handle?.done).rejects.toMatchObject({ code: "WHATSAPP_CONNECTION_FAILED" });
    expect(probe.statuses.at(-1)?.lastError).toMatch(/failed 2 times in a row/);
  });

  it("stop() ends within 1 s, closes the socket and delivers nothing afterwards", async () => {
    const { probe, socket } = await linked();
    const handle = handles[0];
    const began = performance.now();
    await handle?.stop();
    expect(performance.now() - began).toBeLessThan(1000);
    expect(socket.state).toBe("closed");
    expect(socket.listenerCount("connection.update")).toBe(0);
    socket.receiveText({ from: alice, text: "late" });
    expect(probe.inbound).toEqual([]);
    expect(factory.sockets).toHaveLength(1);
  });
});

describe("whatsapp messages", () => {
  it("round-trips a DM: normalised inbound, reply recorded by the socket, quoting by replyTo", async () => {
    const { probe, socket } = await linked();
    const arrived = probe.nextInbound();
    const received = socket.receiveText({
      from: alice,
      text: "hello bot",
      pushName: "Alice",
      timestamp: 1_700_000_000,
    });
    const inbound = await arrived;
    expect(InboundMessageSchema.parse(inbound)).toEqual(inbound);
    expect(inbound).toEqual({
      channel: "whatsapp",
      accountId: "default",
      peer: { id: "15551234567", name: "Alice" },
      chatKind: "dm",
      sender: { id: "15551234567", name: "Alice" },
      text: "hello bot",
      mentionsBot: false,
      timestamp: 1_700_000_000_000,
      platformMessageId: received.key.id,
    });

    const sent = await plugin.sendText({ accountId: "default", to: inbound.peer.id, text: "hi Alice" });
    const reply = await plugin.sendText({
      accountId: "default",
      to: "+1 555 123 4567",
      text: "quoted",
      replyTo: inbound.platformMessageId,
    });
    expect(socket.sent).toEqual([
      { jid: alice, text: "hi Alice", messageId: sent.messageId },
      { jid: alice, text: "quoted", messageId: reply.messageId, quotedId: received.key.id },
    ]);
  });

  it("marks group messages that mention the bot (by number or lid) or reply to it", async () => {
    const { probe, socket } = await linked();
    const cases = [
      { text: "plain", mentions: undefined, quoted: undefined, expected: false },
      { text: "someone else", mentions: [alice], quoted: undefined, expected: false },
      { text: "@bot by number", mentions: [botJid], quoted: undefined, expected: true },
      { text: "@bot by lid", mentions: ["99887766554433@lid"], quoted: undefined, expected: true },
      {
        text: "reply",
        mentions: undefined,
        quoted: { id: "BAE5OLD", participant: botJid, text: "earlier" },
        expected: true,
      },
    ];
    for (const c of cases) {
      const arrived = probe.nextInbound();
      socket.receiveText({
        from: alice,
        group: team,
        text: c.text,
        ...(c.mentions ? { mentions: c.mentions } : {}),
        ...(c.quoted ? { quoted: c.quoted } : {}),
      });
      const inbound = await arrived;
      expect(inbound).toMatchObject({
        chatKind: "group",
        chatId: "120363424282127706",
        peer: { id: "120363424282127706" },
        sender: { id: "15551234567" },
        text: c.text,
        mentionsBot: c.expected,
      });
    }
    expect(probe.inbound.at(-1)?.replyTo).toEqual({ messageId: "BAE5OLD", text: "earlier" });
    await plugin.sendText({ accountId: "default", to: "120363424282127706", text: "to the group" });
    expect(socket.sent.at(-1)?.jid).toBe(team);
  });

  it("ignores its own messages, history sync, status broadcasts and messages without text", async () => {
    const { probe, socket } = await linked();
    socket.receive({ key: { remoteJid: alice, fromMe: true, id: "A1" }, message: { conversation: "mine" } });
    socket.receive(
      { key: { remoteJid: alice, fromMe: false, id: "A2" }, message: { conversation: "old" } },
      "append",
    );
    socket.receive({
      key: { remoteJid: "status@broadcast", participant: alice, id: "A3" },
      message: { conversation: "s" },
    });
    socket.receive({ key: { remoteJid: alice, id: "A4" }, message: {} });
    const arrived = probe.nextInbound();
    socket.receiveText({ from: alice, text: "live" });
    expect((await arrived).text).toBe("live");
    expect(probe.inbound).toHaveLength(1);
  });

  it("sends read receipts only when sendReadReceipts is set", async () => {
    const { probe, socket } = await linked({ sendReadReceipts: true });
    const arrived = probe.nextInbound();
    const message = socket.receiveText({ from: alice, text: "read me" });
    await arrived;
    expect(socket.read).toEqual([message.key]);
  });

  it("sends no read receipts by default", async () => {
    const { probe, socket } = await linked();
    const arrived = probe.nextInbound();
    socket.receiveText({ from: alice, text: "unread" });
    await arrived;
    expect(socket.read).toEqual([]);
  });

  it("shows typing as composing, then paused before the reply", async () => {
    const { socket } = await linked();
    await plugin.sendTyping?.({ accountId: "default", to: "15551234567" });
    expect(socket.presence).toEqual([{ type: "composing", jid: alice }]);
    await plugin.sendText({ accountId: "default", to: "15551234567", text: "done thinking" });
    expect(socket.presence).toEqual([
      { type: "composing", jid: alice },
      { type: "paused", jid: alice },
    ]);
    expect(socket.sent.map((s) => s.text)).toEqual(["done thinking"]);
  });

  it("refuses to send before the device is linked, naming the login command", async () => {
    await start(accountContext(configFor()));
    await expect(
      plugin.sendText({ accountId: "default", to: "15551234567", text: "x" }),
    ).rejects.toMatchObject({
      code: "WHATSAPP_NOT_CONNECTED",
      message: expect.stringContaining("openclaw channels login whatsapp"),
    });
  });
});
