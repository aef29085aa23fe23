import { InboundMessageSchema } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { accountContext, alice, botJid, team, useWhatsAppHarness } from "./whatsapp-test-harness.js";

const h = useWhatsAppHarness();

describe("whatsapp messages", () => {
  it("round-trips a DM: normalised inbound, reply recorded by the socket, quoting by replyTo", async () => {
    const { probe, socket } = await h.linked();
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

    const sent = await h.plugin.sendText({ accountId: "default", to: inbound.peer.id, text: "hi Alice" });
    const reply = await h.plugin.sendText({
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
    const { probe, socket } = await h.linked();
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
    await h.plugin.sendText({ accountId: "default", to: "120363424282127706", text: "to the group" });
    expect(socket.sent.at(-1)?.jid).toBe(team);
  });

  it("ignores its own messages, history sync, status broadcasts and messages with neither text nor a file", async () => {
    const { probe, socket } = await h.linked();
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
    const { probe, socket } = await h.linked({ sendReadReceipts: true });
    const arrived = probe.nextInbound();
    const message = socket.receiveText({ from: alice, text: "read me" });
    await arrived;
    expect(socket.read).toEqual([message.key]);
  });

  it("sends no read receipts by default", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    socket.receiveText({ from: alice, text: "unread" });
    await arrived;
    expect(socket.read).toEqual([]);
  });

  it("shows typing as composing, then paused before the reply", async () => {
    const { socket } = await h.linked();
    await h.plugin.sendTyping?.({ accountId: "default", to: "15551234567" });
    expect(socket.presence).toEqual([{ type: "composing", jid: alice }]);
    await h.plugin.sendText({ accountId: "default", to: "15551234567", text: "done thinking" });
    expect(socket.presence).toEqual([
      { type: "composing", jid: alice },
      { type: "paused", jid: alice },
    ]);
    expect(socket.sent.map((s) => s.text)).toEqual(["done thinking"]);
  });

  it("refuses to send before the device is linked, naming the login command", async () => {
    await h.start(accountContext(h.configFor()));
    await expect(
      h.plugin.sendText({ accountId: "default", to: "15551234567", text: "x" }),
    ).rejects.toMatchObject({
      code: "WHATSAPP_NOT_CONNECTED",
      message: expect.stringContaining("openclaw channels login whatsapp"),
    });
  });
});
