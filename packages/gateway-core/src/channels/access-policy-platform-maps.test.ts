import type { InboundMessage } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { decideInboundAccess, isListedGroupSender } from "./access-policy.js";

const notPaired = { isPaired: () => false };

function slackMessage(o: {
  channelId?: string;
  channelName?: string;
  senderId?: string;
  mentionsBot?: boolean;
}): InboundMessage {
  const chatId = o.channelId ?? "C0123";
  return {
    channel: "slack",
    accountId: "default",
    peer: { id: chatId, ...(o.channelName === undefined ? {} : { name: o.channelName }) },
    chatKind: "group",
    chatId,
    sender: { id: o.senderId ?? "U1" },
    text: "hello",
    mentionsBot: o.mentionsBot ?? true,
    timestamp: 1,
    platformMessageId: "1.0",
  };
}

function discordMessage(o: {
  guildId?: string;
  channelId?: string;
  channelName?: string;
  senderId?: string;
  roleIds?: string[];
  mentionsBot?: boolean;
}): InboundMessage {
  const chatId = o.channelId ?? "500";
  return {
    channel: "discord",
    accountId: "default",
    peer: { id: chatId, name: o.channelName ?? "general" },
    chatKind: "group",
    chatId,
    ...(o.guildId === undefined ? {} : { guildId: o.guildId }),
    sender: { id: o.senderId ?? "900", ...(o.roleIds === undefined ? {} : { roleIds: o.roleIds }) },
    text: "hello",
    mentionsBot: o.mentionsBot ?? true,
    timestamp: 1,
    platformMessageId: "m",
  };
}

describe("Slack channels map", () => {
  it("admits a channel listed by id or by #name and drops the others under groupPolicy allowlist", () => {
    const config = { channels: { C0123: {}, "#engineering": { requireMention: false } } };
    expect(decideInboundAccess(slackMessage({}), config, notPaired)).toEqual({ action: "accept" });
    const byName = slackMessage({ channelId: "C0999", channelName: "engineering", mentionsBot: false });
    expect(decideInboundAccess(byName, config, notPaired)).toEqual({ action: "accept" });
    const other = decideInboundAccess(
      slackMessage({ channelId: "C0777", channelName: "random" }),
      config,
      notPaired,
    );
    expect(other).toEqual({ action: "drop", reason: expect.stringContaining("channels.slack.channels") });
  });

  it("never matches a name key when the channel name is unknown", () => {
    const config = { channels: { "#engineering": {} } };
    const unnamed = slackMessage({ channelId: "C0999" });
    expect(decideInboundAccess(unnamed, config, notPaired).action).toBe("drop");
  });

  it("gates on requireMention (default true), enabled/allow false, and the channel's users", () => {
    const config = {
      allowFrom: ["U_OWNER"],
      channels: {
        C0123: { users: ["U1", "slack:U2"] },
        C0200: { enabled: false },
        C0300: { allow: false },
        "*": { requireMention: true },
      },
    };
    expect(decideInboundAccess(slackMessage({ mentionsBot: false }), config, notPaired).action).toBe("drop");
    expect(decideInboundAccess(slackMessage({ senderId: "U2" }), config, notPaired).action).toBe("accept");
    expect(decideInboundAccess(slackMessage({ senderId: "U3" }), config, notPaired).action).toBe("drop");
    expect(decideInboundAccess(slackMessage({ channelId: "C0200" }), config, notPaired).action).toBe("drop");
    expect(decideInboundAccess(slackMessage({ channelId: "C0300" }), config, notPaired).action).toBe("drop");
    // No `users` on the room: everyone there may talk to the bot (the DM allowFrom does not apply to rooms).
    const anyone = slackMessage({ channelId: "C0400", senderId: "U9" });
    expect(decideInboundAccess(anyone, config, notPaired)).toEqual({ action: "accept" });
    expect(isListedGroupSender(slackMessage({ senderId: "U1" }), config)).toBe(true);
    expect(isListedGroupSender(anyone, config)).toBe(false);
    // Commands in a room without `users` stay with the owners in allowFrom.
    const owner = slackMessage({ channelId: "C0400", senderId: "U_OWNER" });
    expect(isListedGroupSender(owner, config)).toBe(true);
  });

  it("keeps using groups when no channels map is configured", () => {
    const config = { groups: { C0123: { requireMention: false } } };
    expect(decideInboundAccess(slackMessage({ mentionsBot: false }), config, notPaired).action).toBe(
      "accept",
    );
  });
});

describe("Discord guilds map", () => {
  it("admits every channel of a listed guild without a channels block and drops other guilds", () => {
    const config = { guilds: { "100": { requireMention: false } } };
    const listed = discordMessage({ guildId: "100", mentionsBot: false });
    expect(decideInboundAccess(listed, config, notPaired)).toEqual({ action: "accept" });
    const other = decideInboundAccess(discordMessage({ guildId: "200" }), config, notPaired);
    expect(other).toEqual({ action: "drop", reason: expect.stringContaining("channels.discord.guilds") });
    expect(decideInboundAccess(discordMessage({}), config, notPaired).action).toBe("drop");
  });

  it("denies channels a guild's channels block does not list; channel keys override the guild's", () => {
    const config = {
      guilds: {
        "100": {
          requireMention: true,
          channels: { "500": { requireMention: false }, help: {}, "600": { enabled: false } },
        },
      },
    };
    const byId = discordMessage({ guildId: "100", mentionsBot: false });
    expect(decideInboundAccess(byId, config, notPaired).action).toBe("accept");
    const byName = discordMessage({
      guildId: "100",
      channelId: "700",
      channelName: "help",
      mentionsBot: false,
    });
    expect(decideInboundAccess(byName, config, notPaired).action).toBe("drop");
    const byNameMentioned = discordMessage({ guildId: "100", channelId: "700", channelName: "help" });
    expect(decideInboundAccess(byNameMentioned, config, notPaired).action).toBe("accept");
    expect(
      decideInboundAccess(discordMessage({ guildId: "100", channelId: "600" }), config, notPaired).action,
    ).toBe("drop");
    const unlisted = discordMessage({ guildId: "100", channelId: "800", channelName: "random" });
    expect(decideInboundAccess(unlisted, config, notPaired).action).toBe("drop");
  });

  it("admits a sender listed in users or holding a listed role, and nobody else", () => {
    const config = { guilds: { "*": { users: ["901"], roles: ["R1"] } } };
    const byUser = discordMessage({ guildId: "100", senderId: "901" });
    const byRole = discordMessage({ guildId: "100", senderId: "902", roleIds: ["R0", "R1"] });
    const neither = discordMessage({ guildId: "100", senderId: "903", roleIds: ["R2"] });
    const unknownRoles = discordMessage({ guildId: "100", senderId: "904" });
    expect(decideInboundAccess(byUser, config, notPaired).action).toBe("accept");
    expect(decideInboundAccess(byRole, config, notPaired).action).toBe("accept");
    expect(decideInboundAccess(neither, config, notPaired).action).toBe("drop");
    expect(decideInboundAccess(unknownRoles, config, notPaired).action).toBe("drop");
    const rolesOnly = { guilds: { "100": { roles: ["R1"] } } };
    expect(decideInboundAccess(byRole, rolesOnly, notPaired).action).toBe("accept");
    expect(decideInboundAccess(byUser, rolesOnly, notPaired).action).toBe("drop");
  });
});
