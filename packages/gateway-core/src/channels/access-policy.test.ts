import type { InboundMessage, SenderIdSpelling } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { decideInboundAccess } from "./access-policy.js";

function dm(senderId: string): InboundMessage {
  return {
    channel: "telegram",
    accountId: "default",
    peer: { id: senderId },
    chatKind: "dm",
    sender: { id: senderId },
    text: "hi",
    mentionsBot: false,
    timestamp: 1,
    platformMessageId: "m1",
  };
}

function group(o: {
  chatId?: string;
  senderId?: string;
  mentionsBot?: boolean;
  threadId?: string;
}): InboundMessage {
  const chatId = o.chatId ?? "-100";
  return {
    channel: "telegram",
    accountId: "default",
    peer: { id: chatId },
    chatKind: o.threadId === undefined ? "group" : "thread",
    chatId,
    ...(o.threadId === undefined ? {} : { threadId: o.threadId }),
    sender: { id: o.senderId ?? "7" },
    text: "hello all",
    mentionsBot: o.mentionsBot ?? false,
    timestamp: 1,
    platformMessageId: "m2",
  };
}

const paired = new Set(["99"]);
const isPaired = (id: string) => paired.has(id);

describe("decideInboundAccess: direct messages", () => {
  const cases: { name: string; config: Record<string, unknown>; sender: string; expected: string }[] = [
    { name: "pairing (default): unknown sender gets a code", config: {}, sender: "1", expected: "pair" },
    {
      name: "pairing: allowFrom sender accepted",
      config: { allowFrom: ["1"] },
      sender: "1",
      expected: "accept",
    },
    { name: "pairing: numeric allowFrom entry", config: { allowFrom: [1] }, sender: "1", expected: "accept" },
    {
      name: "pairing: channel-prefixed entry",
      config: { allowFrom: ["Telegram:1"] },
      sender: "1",
      expected: "accept",
    },
    {
      name: "pairing: paired sender accepted",
      config: { dmPolicy: "pairing" },
      sender: "99",
      expected: "accept",
    },
    {
      name: "allowlist: listed sender",
      config: { dmPolicy: "allowlist", allowFrom: ["1"] },
      sender: "1",
      expected: "accept",
    },
    {
      name: "allowlist: other sender dropped",
      config: { dmPolicy: "allowlist", allowFrom: ["1"] },
      sender: "2",
      expected: "drop",
    },
    {
      name: "allowlist: paired sender accepted",
      config: { dmPolicy: "allowlist", allowFrom: ["1"] },
      sender: "99",
      expected: "accept",
    },
    {
      name: "allowlist: no list drops everyone",
      config: { dmPolicy: "allowlist" },
      sender: "2",
      expected: "drop",
    },
    {
      name: "open with *: everyone",
      config: { dmPolicy: "open", allowFrom: ["*"] },
      sender: "5",
      expected: "accept",
    },
    { name: "open without *: unlisted dropped", config: { dmPolicy: "open" }, sender: "5", expected: "drop" },
    {
      name: "open without *: listed accepted",
      config: { dmPolicy: "open", allowFrom: ["5"] },
      sender: "5",
      expected: "accept",
    },
    {
      name: "open without *: pairing does not widen",
      config: { dmPolicy: "open", allowFrom: ["5"] },
      sender: "99",
      expected: "drop",
    },
    {
      name: "disabled: even listed senders dropped",
      config: { dmPolicy: "disabled", allowFrom: ["1"] },
      sender: "1",
      expected: "drop",
    },
    { name: "unknown policy fails closed", config: { dmPolicy: "everyone" }, sender: "1", expected: "drop" },
  ];
  it.each(cases)("$name", ({ config, sender, expected }) => {
    expect(decideInboundAccess(dm(sender), config, { isPaired }).action).toBe(expected);
  });

  it("says why a message was dropped", () => {
    const decision = decideInboundAccess(dm("5"), { dmPolicy: "open" }, { isPaired });
    expect(decision).toEqual({ action: "drop", reason: expect.stringContaining('allowFrom ["*"]') });
  });
});

describe("decideInboundAccess: groups", () => {
  const cases: {
    name: string;
    config: Record<string, unknown>;
    message: Parameters<typeof group>[0];
    expected: string;
  }[] = [
    {
      name: "allowlist (default) without groups: dropped",
      config: {},
      message: { mentionsBot: true },
      expected: "drop",
    },
    {
      name: "allowlist: group by id, mentioned",
      config: { groups: { "-100": {} } },
      message: { mentionsBot: true },
      expected: "accept",
    },
    {
      name: "allowlist: group by id, not mentioned",
      config: { groups: { "-100": {} } },
      message: { mentionsBot: false },
      expected: "drop",
    },
    {
      name: "allowlist: * admits any group",
      config: { groups: { "*": { requireMention: true } } },
      message: { chatId: "-555", mentionsBot: true },
      expected: "accept",
    },
    {
      name: "allowlist: other group not listed",
      config: { groups: { "-100": {} } },
      message: { chatId: "-555", mentionsBot: true },
      expected: "drop",
    },
    {
      name: "requireMention false for the group",
      config: { groups: { "-100": { requireMention: false } } },
      message: { mentionsBot: false },
      expected: "accept",
    },
    {
      name: "exact group overrides *",
      config: { groups: { "*": { requireMention: true }, "-100": { requireMention: false } } },
      message: { mentionsBot: false },
      expected: "accept",
    },
    {
      name: "account-level requireMention false",
      config: { groupPolicy: "open", requireMention: false },
      message: { mentionsBot: false },
      expected: "accept",
    },
    {
      name: "group enabled false",
      config: { groupPolicy: "open", groups: { "-100": { enabled: false } } },
      message: { mentionsBot: true },
      expected: "drop",
    },
    {
      name: "open: any group, mentioned",
      config: { groupPolicy: "open" },
      message: { mentionsBot: true },
      expected: "accept",
    },
    {
      name: "open: not mentioned",
      config: { groupPolicy: "open" },
      message: { mentionsBot: false },
      expected: "drop",
    },
    {
      name: "open: sender lists bypassed",
      config: { groupPolicy: "open", allowFrom: ["1"] },
      message: { senderId: "7", mentionsBot: true },
      expected: "accept",
    },
    {
      name: "disabled: dropped even when mentioned",
      config: { groupPolicy: "disabled", groups: { "*": {} } },
      message: { mentionsBot: true },
      expected: "drop",
    },
    {
      name: "allowlist: allowFrom limits group senders",
      config: { allowFrom: ["1"], groups: { "-100": {} } },
      message: { senderId: "7", mentionsBot: true },
      expected: "drop",
    },
    {
      name: "allowlist: groupAllowFrom wins over allowFrom",
      config: { allowFrom: ["1"], groupAllowFrom: ["7"], groups: { "-100": {} } },
      message: { senderId: "7", mentionsBot: true },
      expected: "accept",
    },
    {
      name: "allowlist: per-group allowFrom wins",
      config: { groupAllowFrom: ["1"], groups: { "-100": { allowFrom: ["7"] } } },
      message: { senderId: "7", mentionsBot: true },
      expected: "accept",
    },
    {
      name: "allowlist: groupAllowFrom * lets any member talk",
      config: { allowFrom: ["1"], groupAllowFrom: ["*"], groups: { "-100": {} } },
      message: { senderId: "7", mentionsBot: true },
      expected: "accept",
    },
    {
      name: "per-group groupPolicy open lifts the sender list",
      config: { allowFrom: ["1"], groups: { "-100": { groupPolicy: "open", requireMention: false } } },
      message: { senderId: "7" },
      expected: "accept",
    },
    {
      name: "DM pairing approval does not grant group access",
      config: { allowFrom: ["1"], groups: { "-100": {} } },
      message: { senderId: "99", mentionsBot: true },
      expected: "drop",
    },
    {
      name: "forum topic rule overrides its group",
      config: { groups: { "-100": { requireMention: true, topics: { "5": { requireMention: false } } } } },
      message: { threadId: "5" },
      expected: "accept",
    },
    {
      name: "other topic keeps the group rule",
      config: { groups: { "-100": { requireMention: true, topics: { "5": { requireMention: false } } } } },
      message: { threadId: "6" },
      expected: "drop",
    },
    {
      name: "unknown groupPolicy fails closed",
      config: { groupPolicy: "all" },
      message: { mentionsBot: true },
      expected: "drop",
    },
  ];
  it.each(cases)("$name", ({ config, message, expected }) => {
    expect(decideInboundAccess(group(message), config, { isPaired }).action).toBe(expected);
  });

  it("never offers pairing in a group", () => {
    const decision = decideInboundAccess(group({ mentionsBot: true }), { dmPolicy: "pairing" }, { isPaired });
    expect(decision).toEqual({ action: "drop", reason: expect.stringContaining("groupPolicy") });
  });
});

describe("a platform's sender-id spelling (WhatsApp's, as its plugin declares it)", () => {
  // The shape of @openclaw/channel-whatsapp's `senderIds` (tested there): E.164 numbers reduce to digits.
  const e164: SenderIdSpelling = {
    canonical: (id) => {
      const digits = id.replace(/[\s().-]/g, "").replace(/^\+/, "");
      return /^\d{1,15}$/.test(digits) ? digits : id;
    },
    aliases: (id) => (/^\d+$/.test(id) ? [`+${id}`] : []),
  };
  function whatsappDm(senderId: string): InboundMessage {
    return { ...dm(senderId), channel: "whatsapp" };
  }
  function whatsappGroup(senderId: string): InboundMessage {
    return { ...group({ chatId: "120363000000000001", senderId, mentionsBot: true }), channel: "whatsapp" };
  }
  const notPaired = { isPaired: () => false, senderIds: e164 };

  it("matches E.164 allowFrom entries in any spelling against the bare digits the adapter reports", () => {
    for (const entry of ["+15555550123", "+1 555-555-0123", "15555550123", "whatsapp:+1 (555) 555.0123"]) {
      const config = { dmPolicy: "allowlist", allowFrom: [entry] };
      expect(decideInboundAccess(whatsappDm("15555550123"), config, notPaired)).toEqual({ action: "accept" });
    }
    expect(
      decideInboundAccess(whatsappDm("15555550999"), { allowFrom: ["+15555550123"] }, notPaired),
    ).toEqual({ action: "pair" });
  });

  it("matches groupAllowFrom numbers and keeps non-phone ids and the wildcard as written", () => {
    const config = { groupPolicy: "allowlist", groups: { "*": {} }, groupAllowFrom: ["+1 555 555 0123"] };
    expect(decideInboundAccess(whatsappGroup("15555550123"), config, notPaired)).toEqual({
      action: "accept",
    });
    expect(decideInboundAccess(whatsappGroup("15555550999"), config, notPaired).action).toBe("drop");
    const lid = { dmPolicy: "allowlist", allowFrom: ["99887766@lid"] };
    expect(decideInboundAccess(whatsappDm("99887766@lid"), lid, notPaired)).toEqual({ action: "accept" });
    const open = { dmPolicy: "open", allowFrom: ["*"] };
    expect(decideInboundAccess(whatsappDm("15555550999"), open, notPaired)).toEqual({ action: "accept" });
  });

  it("accepts a sender whose pairing approval was stored under the E.164 number", () => {
    const approved = new Set(["+15555550123"]);
    const pairing = { isPaired: (id: string) => approved.has(id), senderIds: e164 };
    expect(decideInboundAccess(whatsappDm("15555550123"), {}, pairing)).toEqual({ action: "accept" });
    expect(decideInboundAccess(whatsappDm("15555550124"), {}, pairing)).toEqual({ action: "pair" });
  });

  it("leaves ids alone on a platform that declares no spelling: a Telegram id is not a phone number", () => {
    const config = { dmPolicy: "allowlist", allowFrom: ["+123"] };
    expect(decideInboundAccess(dm("123"), config, { isPaired: () => false }).action).toBe("drop");
  });
});
