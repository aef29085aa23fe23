import type { InboundMessage } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { resolveBoundAgentId } from "./agent-binding.js";

function discordMessage(o: { guildId?: string; roleIds?: string[]; chatId?: string }): InboundMessage {
  return {
    channel: "discord",
    accountId: "default",
    peer: { id: o.chatId ?? "C1" },
    chatKind: "group",
    chatId: o.chatId ?? "C1",
    ...(o.guildId ? { guildId: o.guildId } : {}),
    sender: { id: "U1", ...(o.roleIds ? { roleIds: o.roleIds } : {}) },
    text: "hi",
    mentionsBot: true,
    timestamp: 0,
    platformMessageId: "m1",
  };
}

const bindings = [
  { agentId: "everyone", match: { channel: "discord" } },
  { agentId: "guild", match: { channel: "discord", guildId: "G1" } },
  { agentId: "admins", match: { channel: "discord", guildId: "G1", roles: ["R-admin"] } },
  { agentId: "room", match: { channel: "discord", peer: { kind: "channel", id: "C9" } } },
  { agentId: "team", match: { channel: "discord", teamId: "T1" } },
];

describe("resolveBoundAgentId", () => {
  it("routes by guild, by guild and role, and lets an exact room win over both", () => {
    expect(resolveBoundAgentId(bindings, discordMessage({ guildId: "G2" }))).toBe("everyone");
    expect(resolveBoundAgentId(bindings, discordMessage({ guildId: "G1" }))).toBe("guild");
    expect(resolveBoundAgentId(bindings, discordMessage({ guildId: "G1", roleIds: ["R-member"] }))).toBe(
      "guild",
    );
    expect(resolveBoundAgentId(bindings, discordMessage({ guildId: "G1", roleIds: ["R-admin"] }))).toBe(
      "admins",
    );
    expect(
      resolveBoundAgentId(bindings, discordMessage({ guildId: "G1", roleIds: ["R-admin"], chatId: "C9" })),
    ).toBe("room");
  });

  it("never matches on a role without a guild, nor on a key it cannot evaluate", () => {
    expect(
      resolveBoundAgentId(
        [{ agentId: "roles-only", match: { channel: "discord", roles: ["R-admin"] } }],
        discordMessage({ guildId: "G1", roleIds: ["R-admin"] }),
      ),
    ).toBeUndefined();
    expect(
      resolveBoundAgentId(
        [{ agentId: "team", match: { channel: "discord", teamId: "T1" } }],
        discordMessage({}),
      ),
    ).toBeUndefined();
  });
});
