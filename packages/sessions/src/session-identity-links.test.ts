import { describe, expect, it } from "vitest";
import { buildPeerSessionKey, linkedPeerId } from "./session-key.js";

const links = { alice: ["telegram:123456789", "Discord:987654321012345678"], bob: ["555"] };

describe("session.identityLinks", () => {
  it("one person's DMs on two channels share the canonical per-peer session", () => {
    const telegram = buildPeerSessionKey({
      channel: "telegram",
      peerId: "123456789",
      dmScope: "per-peer",
      identityLinks: links,
    });
    const discord = buildPeerSessionKey({
      channel: "discord",
      peerId: "987654321012345678",
      dmScope: "per-peer",
      identityLinks: links,
    });
    expect(telegram).toBe("agent:main:direct:alice");
    expect(discord).toBe(telegram);
  });

  it("per-channel-peer keeps the channel but uses the canonical id; main ignores links", () => {
    expect(
      buildPeerSessionKey({
        channel: "telegram",
        peerId: "123456789",
        dmScope: "per-channel-peer",
        identityLinks: links,
      }),
    ).toBe("agent:main:telegram:direct:alice");
    expect(
      buildPeerSessionKey({
        channel: "telegram",
        peerId: "123456789",
        dmScope: "main",
        identityLinks: links,
      }),
    ).toBe("agent:main:main");
  });

  it("matches `<channel>:<id>` or the bare id, case-insensitively; unlinked peers keep their own id", () => {
    expect(linkedPeerId(links, "DISCORD", "987654321012345678")).toBe("alice");
    expect(linkedPeerId(links, "whatsapp", "555")).toBe("bob");
    expect(linkedPeerId(links, "slack", "123456789")).toBeUndefined();
    expect(linkedPeerId(undefined, "slack", "1")).toBeUndefined();
  });
});
