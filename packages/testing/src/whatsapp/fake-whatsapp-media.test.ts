import { createDecipheriv, createHash, createHmac, hkdfSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  createFakeWhatsAppSocket,
  createFakeWhatsAppSocketFactory,
  type FakeWhatsAppMessage,
  type FakeWhatsAppReactionEvent,
  type FakeWhatsAppSocket,
} from "./index.js";

const alice = "15551234567@s.whatsapp.net";
const team = "120363424282127706@g.us";
const opened: FakeWhatsAppSocket[] = [];

function openSocket(): FakeWhatsAppSocket {
  const socket = createFakeWhatsAppSocket({}, { autoConnect: false });
  socket.open();
  opened.push(socket);
  return socket;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((socket) => socket.mediaCdn.close()));
});

/** WhatsApp's scheme, written out here so the fake's encryption is checked against the spec, not against itself. */
function decrypt(file: Uint8Array, mediaKey: Uint8Array, info: string): Uint8Array {
  const keys = Buffer.from(hkdfSync("sha256", mediaKey, Buffer.alloc(0), info, 112));
  const [iv, cipherKey, macKey] = [keys.subarray(0, 16), keys.subarray(16, 48), keys.subarray(48, 80)];
  const ciphertext = file.subarray(0, file.byteLength - 10);
  const mac = createHmac("sha256", macKey).update(iv).update(ciphertext).digest().subarray(0, 10);
  expect(Buffer.from(file.subarray(file.byteLength - 10))).toEqual(mac);
  const decipher = createDecipheriv("aes-256-cbc", cipherKey, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

describe("fake WhatsApp media", () => {
  it("delivers a captioned image whose file the CDN serves encrypted with the message's mediaKey", async () => {
    const socket = openSocket();
    const bytes = new TextEncoder().encode("not really a jpeg, but bytes all the same");
    const message = await socket.receiveMedia({ from: alice, kind: "image", data: bytes, caption: "look" });
    const image = message.message?.imageMessage;
    expect(image).toMatchObject({ mimetype: "image/jpeg", caption: "look", fileLength: bytes.byteLength });
    expect(image?.directPath).toBeUndefined();
    const response = await fetch(String(image?.url));
    const file = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(createHash("sha256").update(file).digest())).toEqual(
      Buffer.from(image?.fileEncSha256 ?? []),
    );
    const plain = decrypt(file, image?.mediaKey ?? new Uint8Array(), "WhatsApp Image Keys");
    expect(Buffer.from(plain)).toEqual(Buffer.from(bytes));
    expect(socket.mediaCdn.requests).toHaveLength(1);
  });

  it("shapes voice notes, documents (captioned ones wrapped) and stickers as WhatsApp clients send them", async () => {
    const socket = openSocket();
    const data = new Uint8Array([1, 2, 3]);
    const voice = await socket.receiveMedia({ from: alice, kind: "voice", data, seconds: 4 });
    const plainDoc = await socket.receiveMedia({
      from: alice,
      kind: "document",
      data,
      fileName: "a.txt",
      mimetype: "text/plain",
    });
    const captioned = await socket.receiveMedia({
      from: alice,
      group: team,
      kind: "document",
      data,
      fileName: "b.pdf",
      caption: "read",
    });
    const sticker = await socket.receiveMedia({ from: alice, kind: "sticker", data, declaredSize: 99 });
    expect(voice.message?.audioMessage).toMatchObject({
      ptt: true,
      seconds: 4,
      mimetype: "audio/ogg; codecs=opus",
    });
    expect(plainDoc.message?.documentMessage).toMatchObject({ fileName: "a.txt", mimetype: "text/plain" });
    expect(captioned.key).toMatchObject({ remoteJid: team, participant: alice });
    expect(captioned.message?.documentWithCaptionMessage?.message?.documentMessage).toMatchObject({
      fileName: "b.pdf",
      caption: "read",
      mimetype: "application/pdf",
    });
    expect(sticker.message?.stickerMessage).toMatchObject({ mimetype: "image/webp", fileLength: 99 });
    const file = new Uint8Array(await (await fetch(String(voice.message?.audioMessage?.url))).arrayBuffer());
    expect([
      ...decrypt(file, voice.message?.audioMessage?.mediaKey ?? new Uint8Array(), "WhatsApp Audio Keys"),
    ]).toEqual([1, 2, 3]);
  });

  it("answers 404 for an expired file", async () => {
    const socket = openSocket();
    const message = await socket.receiveMedia({ from: alice, kind: "video", data: new Uint8Array([9]) });
    const url = String(message.message?.videoMessage?.url);
    socket.mediaCdn.expire(url);
    expect((await fetch(url)).status).toBe(404);
  });

  it("records media and reactions the adapter sends, and refuses media given as a URL", async () => {
    const socket = openSocket();
    const data = new Uint8Array([7, 7]);
    const photo = await socket.sendMessage(alice, { image: data, caption: "here" });
    await socket.sendMessage(alice, { audio: data, ptt: true, mimetype: "audio/ogg; codecs=opus" });
    await socket.sendMessage(
      alice,
      { document: data, mimetype: "text/plain", fileName: "n.txt" },
      { quoted: photo },
    );
    await socket.sendMessage(alice, { react: { text: "👍", key: photo.key } });
    expect(socket.sentMedia).toEqual([
      { jid: alice, kind: "image", data, mimetype: "image/jpeg", caption: "here", messageId: photo.key.id },
      {
        jid: alice,
        kind: "audio",
        data,
        mimetype: "audio/ogg; codecs=opus",
        ptt: true,
        messageId: expect.any(String),
      },
      {
        jid: alice,
        kind: "document",
        data,
        mimetype: "text/plain",
        fileName: "n.txt",
        quotedId: photo.key.id,
        messageId: expect.any(String),
      },
    ]);
    expect(photo.message?.imageMessage).toMatchObject({
      mimetype: "image/jpeg",
      caption: "here",
      fileLength: 2,
    });
    expect(socket.reactions).toEqual([
      { jid: alice, emoji: "👍", key: photo.key, messageId: expect.any(String) },
    ]);
    expect(socket.sent).toEqual([]);
    await expect(socket.sendMessage(alice, { image: { url: "http://example.test/a.jpg" } })).rejects.toThrow(
      /as bytes/,
    );
  });

  it("emits an inbound reaction on messages.upsert and messages.reaction, keyed as Baileys normalises it", () => {
    const socket = openSocket();
    const upserts: FakeWhatsAppMessage[] = [];
    const events: FakeWhatsAppReactionEvent[] = [];
    socket.ev.on("messages.upsert", ({ messages }) => upserts.push(...messages));
    socket.ev.on("messages.reaction", (list) => events.push(...list));
    const message = socket.receiveReaction({
      from: alice,
      group: team,
      target: { id: "BAE5MINE", fromMe: true },
      emoji: "🔥",
      timestamp: 10,
    });
    expect(upserts).toEqual([message]);
    expect(message.message?.reactionMessage).toEqual({
      key: { remoteJid: team, fromMe: true, id: "BAE5MINE" },
      text: "🔥",
      senderTimestampMs: 10_000,
    });
    expect(events).toEqual([
      {
        key: { remoteJid: team, fromMe: true, id: "BAE5MINE" },
        reaction: { ...message.message?.reactionMessage, key: message.key },
      },
    ]);
  });

  it("a factory's sockets share one CDN, so a file received before a reconnect still downloads", async () => {
    const factory = createFakeWhatsAppSocketFactory({ autoConnect: false });
    const first = factory.makeSocket({});
    first.open();
    const message = await first.receiveMedia({ from: alice, kind: "image", data: new Uint8Array([5]) });
    const second = factory.makeSocket({});
    expect(second.mediaCdn).toBe(first.mediaCdn);
    expect((await fetch(String(message.message?.imageMessage?.url))).status).toBe(200);
    await factory.close();
  });
});
