import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChannelQrLogin } from "@openclaw/plugin-sdk";
import {
  createFakeWhatsAppSocketFactory,
  DEFAULT_FAKE_WHATSAPP_USER,
  FAKE_WHATSAPP_DISCONNECT,
} from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { WHATSAPP_LOGGED_OUT_MESSAGE } from "./whatsapp-channel-error.js";
import { createWhatsAppPlugin, type WhatsAppPlugin } from "./whatsapp-plugin.js";
import type { BaileysModule } from "./whatsapp-socket.js";
import { accountContext, useWhatsAppHarness } from "./whatsapp-test-harness.js";

// Login and QR linking; connection handling and messages are in whatsapp-connection.test.ts and
// whatsapp-messages.test.ts, media and reactions in their own files.
const h = useWhatsAppHarness();

describe("whatsapp login", () => {
  it("shows the QR code, links, stops for good when logged out, and shows a new QR code on the next start", async () => {
    const probe = accountContext(h.configFor());
    const seen: string[] = [];
    const unsubscribe = h.plugin.onQr("default", (qr) => seen.push(qr));
    const handle = await h.start(probe);
    const first = await h.factory.socket(0);

    // startAccount resolves while the QR code waits to be scanned, so the gateway does not block on a human.
    expect(first.qrs).toHaveLength(1);
    expect(h.plugin.latestQr("default")).toBe(first.qrs[0]);
    expect(seen).toEqual(first.qrs);
    expect(h.plugin.loginState("default")).toBe("qr");
    expect(probe.statuses).toEqual([{ connected: false }]);
    expect(probe.logs.find((l) => l.level === "info" && l.fields?.qr === first.qrs[0])?.message).toMatch(
      /scan the QR code/,
    );
    await expect(h.plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).resolves.toEqual({
      ok: false,
      detail: "waiting for the QR code to be scanned",
    });

    // After the scan WhatsApp asks for a restart (515); the next socket opens with the new credentials.
    first.open();
    await probe.status((s) => s.connected === true);
    expect(h.plugin.latestQr("default")).toBeUndefined();
    expect(h.plugin.loginState("default")).toBe("open");
    first.close(FAKE_WHATSAPP_DISCONNECT.restartRequired, "Stream Errored (restart required)");
    const second = await h.factory.socket(1);
    await new Promise<void>((resolve) =>
      second.ev.on("connection.update", (u) => u.connection === "open" && resolve()),
    );
    expect(second.qrs).toHaveLength(0);
    await expect(h.plugin.probe?.({ accountId: "default", timeoutMs: 1000 })).resolves.toEqual({
      ok: true,
      detail: "15550001111",
    });

    // Logged out from the phone: a clear error, no reconnect loop, credentials gone.
    second.close(FAKE_WHATSAPP_DISCONNECT.loggedOut, "Connection Failure");
    await expect(handle.done).rejects.toMatchObject({ code: "WHATSAPP_LOGGED_OUT" });
    expect(probe.statuses.at(-1)).toEqual({ connected: false, lastError: WHATSAPP_LOGGED_OUT_MESSAGE });
    expect(h.factory.sockets).toHaveLength(2);
    expect(h.plugin.loginState("default")).toBe("logged-out");
    await expect(access(join(h.root, "auth"))).rejects.toThrow();

    // A fresh login: a new QR code, then open again.
    const again = accountContext(h.configFor());
    await h.start(again);
    const third = await h.factory.socket(2);
    expect(third.qrs).toHaveLength(1);
    expect(h.plugin.latestQr("default")).toBe(third.qrs[0]);
    expect(seen).toEqual([...first.qrs, ...third.qrs]);
    third.open();
    await again.status((s) => s.connected === true);
    unsubscribe();
  });

  it("keeps the auth state on disk: a restarted gateway opens without a QR code", async () => {
    const { probe } = await h.linked();
    // A gateway restart: the account stops, a new plugin instance starts it again from the files alone.
    await Promise.all(h.handles.splice(0).map((handle) => handle.stop()));
    expect(probe.statuses.at(-1)).toEqual({ connected: false });
    const creds = JSON.parse(await readFile(join(h.root, "auth", "creds.json"), "utf8")) as {
      me?: { id: string };
      registered?: boolean;
    };
    expect(creds.me?.id).toBe(DEFAULT_FAKE_WHATSAPP_USER.id);
    expect(creds.registered).toBe(true);

    h.factory = createFakeWhatsAppSocketFactory();
    const restarted = createWhatsAppPlugin({ makeSocket: h.makeSocket });
    const after = accountContext(h.configFor());
    await h.start(after, restarted);
    await after.status((s) => s.connected === true);
    expect((await h.factory.socket(0)).qrs).toHaveLength(0);
    expect(after.statuses).toEqual([{ connected: true, lastError: null }]);
  });

  it("starting with credentials WhatsApp has revoked fails with the logged-out error and clears them", async () => {
    await h.linked();
    await Promise.all(h.handles.splice(0).map((handle) => handle.stop()));
    h.factory = createFakeWhatsAppSocketFactory({ autoConnect: false });
    const probe = accountContext(h.configFor());
    const starting = h.plugin.startAccount(probe.context);
    (await h.factory.socket(0)).close(FAKE_WHATSAPP_DISCONNECT.loggedOut);
    await expect(starting).rejects.toMatchObject({
      code: "WHATSAPP_LOGGED_OUT",
      message: WHATSAPP_LOGGED_OUT_MESSAGE,
    });
    await expect(access(join(h.root, "auth", "creds.json"))).rejects.toThrow();
  });

  it("logout() unlinks a running account and deletes its auth dir", async () => {
    const { socket } = await h.linked();
    await h.plugin.logout?.({ accountId: "default" });
    expect(socket.loggedOut).toBe(true);
    await expect(access(join(h.root, "auth"))).rejects.toThrow();
    await expect(
      h.plugin.sendText({ accountId: "default", to: "15551234567", text: "hi" }),
    ).rejects.toMatchObject({
      code: "WHATSAPP_ACCOUNT_NOT_RUNNING",
    });
  });

  it("imports Baileys only when an account starts", async () => {
    let loads = 0;
    const lazy = createWhatsAppPlugin({
      makeSocket: h.makeSocket,
      loadBaileys: async () => {
        loads += 1;
        return import("baileys") as Promise<BaileysModule>;
      },
    });
    expect(loads).toBe(0);
    await h.start(accountContext(h.configFor()), lazy);
    expect(loads).toBe(1);
  });
});

describe("whatsapp qrLogin", () => {
  function qrLoginOf(on: WhatsAppPlugin = h.plugin): ChannelQrLogin {
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
        await Promise.all(h.handles.splice(0).map((handle) => handle.stop()));
        await h.start(accountContext(h.configFor()));
      },
    };
  }

  it("start runs an account that is not running and returns its QR code; wait follows a rotation to the link", async () => {
    const gateway = gatewayRestarts();
    const qrLogin = qrLoginOf();

    const started = await qrLogin.start({
      accountId: "default",
      force: false,
      timeoutMs: 15_000,
      restartAccount: gateway.restartAccount,
    });
    const socket = await h.factory.socket(0);
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
    const { socket } = await h.linked();
    const gateway = gatewayRestarts();

    const forced = await qrLoginOf().start({
      accountId: "default",
      force: true,
      timeoutMs: 15_000,
      restartAccount: gateway.restartAccount,
    });

    expect(socket.loggedOut).toBe(true);
    expect(gateway.count()).toBe(1);
    const fresh = await h.factory.socket(1);
    expect(forced).toMatchObject({ linked: false, qr: fresh.qrs[0] });
  });

  it("an account WhatsApp logged out is restarted by start; a wait on it ends instead of hanging", async () => {
    const { socket } = await h.linked();
    const handle = h.handles[0];
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
      timeoutMs: 15_000,
      restartAccount: gateway.restartAccount,
    });
    expect(gateway.count()).toBe(1);
    expect(started).toMatchObject({ linked: false, qr: (await h.factory.socket(1)).qrs[0] });
  });

  it("start without a QR code in time answers instead of failing", async () => {
    h.factory = createFakeWhatsAppSocketFactory({ autoConnect: false });
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
    await h.plugin.logout?.({ accountId: "default" });
  });
});
