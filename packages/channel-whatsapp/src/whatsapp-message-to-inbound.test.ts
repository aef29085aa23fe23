import { describe, expect, it } from "vitest";
import { whatsappMessageToInbound } from "./whatsapp-message-to-inbound.js";

const self = { id: "15550001111:7@s.whatsapp.net", lid: "99887766554433:7@lid" };
const options = { accountId: "default", self };

describe("whatsappMessageToInbound", () => {
  it("uses the phone number WhatsApp gives beside a hidden (@lid) sender", () => {
    const inbound = whatsappMessageToInbound(
      {
        key: { remoteJid: "123456789@lid", remoteJidAlt: "15551234567@s.whatsapp.net", id: "M1" },
        message: { conversation: "hi" },
        messageTimestamp: { toNumber: () => 1_700_000_000 },
      },
      options,
    );
    expect(inbound).toMatchObject({
      peer: { id: "15551234567" },
      sender: { id: "15551234567" },
      timestamp: 1_700_000_000_000,
    });
  });

  it("keeps a @lid sender whole when no number is given", () => {
    const inbound = whatsappMessageToInbound(
      { key: { remoteJid: "123456789@lid", id: "M2" }, message: { conversation: "hi" } },
      options,
    );
    expect(inbound?.peer.id).toBe("123456789@lid");
  });

  it("reads captions and disappearing-message wrappers", () => {
    const caption = whatsappMessageToInbound(
      {
        key: { remoteJid: "120363@g.us", participant: "15551234567@s.whatsapp.net", id: "M3" },
        message: {
          imageMessage: { caption: "look", contextInfo: { mentionedJid: ["15550001111@s.whatsapp.net"] } },
        },
      },
      options,
    );
    expect(caption).toMatchObject({ chatKind: "group", chatId: "120363", text: "look", mentionsBot: true });
    const ephemeral = whatsappMessageToInbound(
      {
        key: { remoteJid: "15551234567@s.whatsapp.net", id: "M4" },
        message: { ephemeralMessage: { message: { extendedTextMessage: { text: "vanishing" } } } },
      },
      options,
    );
    expect(ephemeral?.text).toBe("vanishing");
  });

  it("does not count a reply to someone else as a mention", () => {
    const inbound = whatsappMessageToInbound(
      {
        key: { remoteJid: "120363@g.us", participant: "15551234567@s.whatsapp.net", id: "M5" },
        message: {
          extendedTextMessage: {
            text: "agreed",
            contextInfo: {
              stanzaId: "X",
              participant: "15559999999@s.whatsapp.net",
              quotedMessage: { conversation: "q" },
            },
          },
        },
      },
      options,
    );
    expect(inbound).toMatchObject({ mentionsBot: false, replyTo: { messageId: "X", text: "q" } });
  });

  it("describes media only when given Baileys' media helpers, reading Long sizes and view-once wrappers", () => {
    const message = {
      key: { remoteJid: "15551234567@s.whatsapp.net", id: "M6" },
      message: {
        viewOnceMessageV2: {
          message: {
            audioMessage: {
              url: "https://mmg.whatsapp.net/v/t62.7117-24/x.enc",
              mimetype: "audio/ogg; codecs=opus",
              ptt: true,
              seconds: 5,
              fileLength: { toNumber: () => 12_345 },
              fileSha256: new Uint8Array([1, 2, 3]),
            },
          },
        },
      },
    };
    expect(whatsappMessageToInbound(message, options)).toBeUndefined();
    const media = { getMediaKeys: async () => ({}), getUrlFromDirectPath: () => "" } as never;
    const inbound = whatsappMessageToInbound(message, { ...options, media });
    expect(inbound).toMatchObject({ text: "" });
    expect(inbound?.media).toEqual([
      {
        kind: "voice",
        mimeType: "audio/ogg; codecs=opus",
        sizeBytes: 12_345,
        durationSec: 5,
        platformFileId: "AQID",
        download: expect.any(Function),
      },
    ]);
  });
});
