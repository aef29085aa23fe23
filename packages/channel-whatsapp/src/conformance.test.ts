import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChannelConformance } from "@openclaw/plugin-sdk/testing";
import {
  createFakeWhatsAppSocketFactory,
  DEFAULT_FAKE_WHATSAPP_USER,
  type FakeWhatsAppSocketFactory,
} from "@openclaw/testing";
import { WhatsAppConfigSchema } from "./whatsapp-config.js";
import { createWhatsAppPlugin } from "./whatsapp-plugin.js";
import type { MakeWhatsAppSocket } from "./whatsapp-socket.js";

// WhatsApp's wire protocol cannot be faked on loopback: the seam is Baileys' socket object (see README).
let factory: FakeWhatsAppSocketFactory;
const makeSocket: MakeWhatsAppSocket = (config) => factory.makeSocket(config);

runChannelConformance(createWhatsAppPlugin({ makeSocket }), async () => {
  // A device linked earlier: each socket opens at once instead of showing a QR code.
  factory = createFakeWhatsAppSocketFactory({ linkedAs: DEFAULT_FAKE_WHATSAPP_USER });
  const ownFactory = factory;
  const authDir = await mkdtemp(join(tmpdir(), "openclaw-wa-conformance-"));
  const socket = () => {
    const latest = ownFactory.latest();
    if (latest === undefined) throw new Error("the plugin made no socket");
    return latest;
  };
  return {
    accountConfig: WhatsAppConfigSchema.parse({ authDir }),
    // The sockets fail as Baileys' do when WhatsApp is unreachable (real Baileys: baileys-loopback.test.ts).
    outage: ownFactory.outage,
    async injectDirectMessage({ text, senderId, senderName }) {
      socket().receiveText({ from: `${senderId}@s.whatsapp.net`, text, pushName: senderName ?? "Tester" });
    },
    async injectGroupMessage({ text, senderId, groupId, mentionBot }) {
      socket().receiveText({
        from: `${senderId}@s.whatsapp.net`,
        group: `${groupId}@g.us`,
        text,
        mentions: mentionBot ? [DEFAULT_FAKE_WHATSAPP_USER.id.replace(/:\d+@/, "@")] : [],
      });
    },
    async sentTexts(to) {
      return ownFactory.sockets
        .flatMap((s) => s.sent)
        .filter((sent) => sent.jid === `${to}@s.whatsapp.net`)
        .map((sent) => sent.text);
    },
    close: () => rm(authDir, { recursive: true, force: true }),
  };
});
