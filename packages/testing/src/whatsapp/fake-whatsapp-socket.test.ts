import { describe, expect, it } from "vitest";
import {
  createFakeWhatsAppSocket,
  createFakeWhatsAppSocketFactory,
  DEFAULT_FAKE_WHATSAPP_USER,
  FAKE_WHATSAPP_DISCONNECT,
  type FakeWhatsAppConnectionUpdate,
  type FakeWhatsAppCreds,
  type FakeWhatsAppSocket,
} from "./index.js";

function nextUpdate(socket: FakeWhatsAppSocket): Promise<FakeWhatsAppConnectionUpdate> {
  return new Promise((resolve) => {
    const listener = (update: FakeWhatsAppConnectionUpdate) => {
      socket.ev.off("connection.update", listener);
      resolve(update);
    };
    socket.ev.on("connection.update", listener);
  });
}

describe("fake WhatsApp socket", () => {
  it("shows a QR code when the auth state is not linked, like Baileys", async () => {
    const socket = createFakeWhatsAppSocket({ auth: { creds: {} } });
    const update = await nextUpdate(socket);
    expect(update.qr).toBe(socket.qrs[0]);
    expect(socket.state).toBe("connecting");
  });

  it("opens at once with linked credentials", async () => {
    const socket = createFakeWhatsAppSocket({
      auth: { creds: { me: DEFAULT_FAKE_WHATSAPP_USER, registered: true } },
    });
    expect(await nextUpdate(socket)).toEqual({ connection: "open" });
    expect(socket.user).toEqual(DEFAULT_FAKE_WHATSAPP_USER);
  });

  it("merges creds.update into the auth state before the listeners run, then opens", async () => {
    const creds: FakeWhatsAppCreds = {};
    const socket = createFakeWhatsAppSocket({ auth: { creds } }, { autoConnect: false });
    const seen: unknown[] = [];
    socket.ev.on("creds.update", (update) => seen.push({ update, merged: { ...creds } }));
    const opened = nextUpdate(socket);
    socket.open();
    expect(await opened).toEqual({ connection: "open", isNewLogin: true });
    expect(seen).toEqual([
      {
        update: { me: DEFAULT_FAKE_WHATSAPP_USER, registered: true },
        merged: { me: DEFAULT_FAKE_WHATSAPP_USER, registered: true },
      },
    ]);
  });

  it("closes with a Boom-shaped error carrying the DisconnectReason code", async () => {
    const socket = createFakeWhatsAppSocket({}, { autoConnect: false });
    const closed = nextUpdate(socket);
    socket.close(FAKE_WHATSAPP_DISCONNECT.loggedOut, "Connection Failure");
    const update = await closed;
    expect(update.connection).toBe("close");
    expect(update.lastDisconnect?.error).toMatchObject({
      message: "Connection Failure",
      output: { statusCode: 401 },
    });
  });

  it("records sends and presence while open and refuses them once closed", async () => {
    const socket = createFakeWhatsAppSocket({}, { autoConnect: false });
    socket.open();
    const sent = await socket.sendMessage("1555@s.whatsapp.net", { text: "hi" });
    await socket.sendPresenceUpdate("composing", "1555@s.whatsapp.net");
    expect(socket.sent).toEqual([{ jid: "1555@s.whatsapp.net", text: "hi", messageId: sent.key.id }]);
    expect(socket.presence).toEqual([{ type: "composing", jid: "1555@s.whatsapp.net" }]);
    await socket.end(undefined);
    await expect(socket.sendMessage("1555@s.whatsapp.net", { text: "late" })).rejects.toMatchObject({
      output: { statusCode: 428 },
    });
  });

  it("builds DM and group messages shaped like WAMessage", () => {
    const socket = createFakeWhatsAppSocket({}, { autoConnect: false });
    const received: unknown[] = [];
    socket.ev.on("messages.upsert", (upsert) => received.push(upsert));
    const dm = socket.receiveText({ from: "1555@s.whatsapp.net", text: "hi", pushName: "Ann", timestamp: 5 });
    const group = socket.receiveText({
      from: "1555@s.whatsapp.net",
      group: "1203@g.us",
      text: "@bot",
      mentions: ["1666@s.whatsapp.net"],
    });
    expect(dm).toMatchObject({
      key: { remoteJid: "1555@s.whatsapp.net", fromMe: false },
      message: { conversation: "hi" },
      pushName: "Ann",
      messageTimestamp: 5,
    });
    expect(group).toMatchObject({
      key: { remoteJid: "1203@g.us", participant: "1555@s.whatsapp.net" },
      message: {
        extendedTextMessage: { text: "@bot", contextInfo: { mentionedJid: ["1666@s.whatsapp.net"] } },
      },
    });
    expect(received).toEqual([
      { messages: [dm], type: "notify" },
      { messages: [group], type: "notify" },
    ]);
  });

  it("logout() unlinks: the connection closes with loggedOut", async () => {
    const socket = createFakeWhatsAppSocket({}, { autoConnect: false });
    socket.open();
    const closed = nextUpdate(socket);
    await socket.logout();
    expect((await closed).lastDisconnect?.error).toMatchObject({ output: { statusCode: 401 } });
    expect(socket.loggedOut).toBe(true);
  });

  it("the factory hands out each socket it made, also to a test that asks before it exists", async () => {
    const factory = createFakeWhatsAppSocketFactory({ autoConnect: false });
    const waiting = factory.socket(1);
    const first = factory.makeSocket({});
    const second = factory.makeSocket({});
    expect(await factory.socket(0)).toBe(first);
    expect(await waiting).toBe(second);
    expect(factory.latest()).toBe(second);
    expect(factory.sockets).toEqual([first, second]);
  });
});

describe("fake WhatsApp socket, linkedAs", () => {
  it("treats an empty auth state as linked, so the socket opens without a QR code", async () => {
    const creds: FakeWhatsAppCreds = {};
    const socket = createFakeWhatsAppSocket({ auth: { creds } }, { linkedAs: DEFAULT_FAKE_WHATSAPP_USER });
    expect(await nextUpdate(socket)).toEqual({ connection: "open" });
    expect(creds).toEqual({ me: DEFAULT_FAKE_WHATSAPP_USER, registered: true });
    expect(socket.qrs).toEqual([]);
  });
});
