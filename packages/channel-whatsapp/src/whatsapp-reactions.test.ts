import { InboundReactionSchema } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { alice, team, useWhatsAppHarness } from "./whatsapp-test-harness.js";

const h = useWhatsAppHarness();

describe("whatsapp reactions", () => {
  it("reacts to a received message with its full key (sender in groups) and takes the reaction off", async () => {
    const { probe, socket } = await h.linked();
    const arrived = probe.nextInbound();
    const message = socket.receiveText({ from: alice, group: team, text: "@bot do it" });
    const inbound = await arrived;
    const target = { accountId: "default", to: inbound.chatId ?? "", messageId: inbound.platformMessageId };
    await h.plugin.react?.({ ...target, emoji: "👀" });
    await h.plugin.react?.({ ...target, emoji: "👀", remove: true });
    expect(socket.reactions).toEqual([
      { jid: team, emoji: "👀", key: message.key, messageId: expect.any(String) },
      { jid: team, emoji: "", key: message.key, messageId: expect.any(String) },
    ]);
    expect(message.key).toMatchObject({ participant: alice, fromMe: false });
  });

  it("reacts to its own sent message, and to an unknown DM message by id alone", async () => {
    const { socket } = await h.linked();
    const sent = await h.plugin.sendText({ accountId: "default", to: "15551234567", text: "answer" });
    await h.plugin.react?.({
      accountId: "default",
      to: "15551234567",
      messageId: sent.messageId,
      emoji: "✅",
    });
    await h.plugin.react?.({ accountId: "default", to: "15551234567", messageId: "3EB0OLD", emoji: "👍" });
    expect(socket.reactions.map((r) => r.key)).toEqual([
      { remoteJid: alice, fromMe: true, id: sent.messageId },
      { remoteJid: alice, fromMe: false, id: "3EB0OLD" },
    ]);
  });

  it("refuses to react to a group message it does not remember, naming why", async () => {
    const { socket } = await h.linked();
    await expect(
      h.plugin.react?.({ accountId: "default", to: "120363424282127706", messageId: "3EB0OLD", emoji: "👍" }),
    ).rejects.toMatchObject({ code: "WHATSAPP_MESSAGE_UNKNOWN", message: expect.stringContaining("sender") });
    expect(socket.reactions).toEqual([]);
  });

  it("hands inbound reactions to onReaction once each (Baileys emits two events), with removals named", async () => {
    const { probe, socket } = await h.linked();
    const sent = await h.plugin.sendText({
      accountId: "default",
      to: "120363424282127706",
      text: "my answer",
    });
    const first = probe.nextReaction();
    socket.receiveReaction({
      from: alice,
      group: team,
      pushName: "Alice",
      target: { id: sent.messageId, fromMe: true },
      emoji: "❤️",
      timestamp: 1_700_000_000,
    });
    const added = await first;
    expect(InboundReactionSchema.parse(added)).toEqual(added);
    expect(added).toEqual({
      channel: "whatsapp",
      accountId: "default",
      peer: { id: "120363424282127706" },
      chatKind: "group",
      chatId: "120363424282127706",
      sender: { id: "15551234567", name: "Alice" },
      messageId: sent.messageId,
      onBotMessage: true,
      emoji: "❤️",
      removed: false,
      timestamp: 1_700_000_000_000,
    });
    const second = probe.nextReaction();
    socket.receiveReaction({
      from: alice,
      group: team,
      target: { id: sent.messageId, fromMe: true },
      emoji: "",
    });
    expect(await second).toMatchObject({ emoji: "❤️", removed: true, onBotMessage: true });

    // A reaction on someone else's message in a DM; then a text shows nothing else was queued.
    const third = probe.nextReaction();
    socket.receiveReaction({ from: alice, target: { id: "3EB0THEIRS", fromMe: false }, emoji: "😂" });
    expect(await third).toMatchObject({ chatKind: "dm", peer: { id: "15551234567" }, onBotMessage: false });
    const text = probe.nextInbound();
    socket.receiveText({ from: alice, text: "after" });
    await text;
    expect(probe.reactions).toHaveLength(3);
    expect(probe.inbound.map((m) => m.text)).toEqual(["after"]);
  });

  it("skips the removal of a reaction it never saw, and reactions in history sync", async () => {
    const { probe, socket } = await h.linked();
    socket.receiveReaction({ from: alice, target: { id: "3EB0X", fromMe: true }, emoji: "" });
    const reaction = socket.receiveReaction({
      from: alice,
      target: { id: "3EB0Y", fromMe: true },
      emoji: "👍",
    });
    socket.receive(reaction, "append");
    const text = probe.nextInbound();
    socket.receiveText({ from: alice, text: "after" });
    await text;
    expect(probe.reactions).toHaveLength(1);
    expect(probe.reactions[0]).toMatchObject({ messageId: "3EB0Y", emoji: "👍" });
  });
});
