import { describe, expect, it } from "vitest";
import { isSessionError } from "./session-error.js";
import {
  assertValidSessionKey,
  buildCronSessionKey,
  buildGroupSessionKey,
  buildHookSessionKey,
  buildMainSessionKey,
  buildPeerSessionKey,
  decodeKeySegment,
  encodeKeySegment,
  normalizeSessionKey,
  parseSessionKey,
} from "./session-key.js";

function expectKeyError(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(isSessionError(error, "INVALID_SESSION_KEY")).toBe(true);
    return;
  }
  throw new Error("expected INVALID_SESSION_KEY");
}

describe("key builders (OpenClaw's grammar)", () => {
  it("builds the main session key", () => {
    expect(buildMainSessionKey()).toBe("agent:main:main");
    expect(buildMainSessionKey("Ops Team")).toBe("agent:ops-team:main");
    expect(buildMainSessionKey("work", "Home")).toBe("agent:work:home");
  });

  it("builds a direct-message key for every dmScope", () => {
    const base = { channel: "telegram", peerId: "123456789" };
    expect(buildPeerSessionKey({ ...base, dmScope: "main" })).toBe("agent:main:main");
    expect(buildPeerSessionKey({ ...base, dmScope: "per-peer" })).toBe("agent:main:direct:123456789");
    expect(buildPeerSessionKey({ ...base, dmScope: "per-channel-peer" })).toBe(
      "agent:main:telegram:direct:123456789",
    );
    expect(buildPeerSessionKey({ ...base, dmScope: "per-account-channel-peer" })).toBe(
      "agent:main:telegram:default:direct:123456789",
    );
    expect(
      buildPeerSessionKey({
        ...base,
        agentId: "Work",
        accountId: "Bot Two",
        dmScope: "per-account-channel-peer",
      }),
    ).toBe("agent:work:telegram:bot-two:direct:123456789");
  });

  it("lower-cases peer ids and falls back to main for an empty peer", () => {
    expect(
      buildPeerSessionKey({ channel: "Slack", peerId: " U12345678 ", dmScope: "per-channel-peer" }),
    ).toBe("agent:main:slack:direct:u12345678");
    expect(buildPeerSessionKey({ channel: "slack", peerId: "  ", dmScope: "per-peer" })).toBe(
      "agent:main:main",
    );
  });

  it("appends a thread on top of the scope's base, as Slack Agent View roots do", () => {
    const thread = { channel: "slack", peerId: "U1", threadId: "1777244748.777299" };
    expect(buildPeerSessionKey({ ...thread, dmScope: "main" })).toBe(
      "agent:main:main:thread:1777244748.777299",
    );
    expect(buildPeerSessionKey({ ...thread, dmScope: "per-channel-peer" })).toBe(
      "agent:main:slack:direct:u1:thread:1777244748.777299",
    );
  });

  it("builds group, channel, thread and topic keys", () => {
    expect(buildGroupSessionKey({ channel: "whatsapp", id: "120363403215116621@g.us" })).toBe(
      "agent:main:whatsapp:group:120363403215116621@g.us",
    );
    expect(
      buildGroupSessionKey({ channel: "discord", kind: "channel", id: "123456", threadId: "987654" }),
    ).toBe("agent:main:discord:channel:123456:thread:987654");
    expect(buildGroupSessionKey({ channel: "telegram", id: "-1001234567890", threadId: "42" })).toBe(
      "agent:main:telegram:group:-1001234567890:topic:42",
    );
    expect(buildGroupSessionKey({ channel: "slack", kind: "channel", id: "C0123TEAM" })).toBe(
      "agent:main:slack:channel:c0123team",
    );
  });

  it("keeps the case of Signal group ids and Matrix room ids", () => {
    expect(buildGroupSessionKey({ channel: "signal", id: "AbC+dEf=" })).toBe(
      "agent:main:signal:group:AbC+dEf=",
    );
    expect(buildGroupSessionKey({ channel: "matrix", kind: "channel", id: "!RoomId:matrix.org" })).toBe(
      "agent:main:matrix:channel:!RoomId%3amatrix.org",
    );
  });

  it("builds automation keys", () => {
    expect(buildCronSessionKey("Nightly-Report")).toBe("agent:main:cron:nightly-report");
    expect(buildHookSessionKey("gmail", "ops")).toBe("agent:ops:hook:gmail");
    expectKeyError(() => buildCronSessionKey(" "));
  });

  it("refuses channel and account ids that would read as key markers", () => {
    expectKeyError(() => buildGroupSessionKey({ channel: "direct", id: "1" }));
    expectKeyError(() => buildPeerSessionKey({ channel: "cron", peerId: "1", dmScope: "per-channel-peer" }));
    expectKeyError(() =>
      buildPeerSessionKey({
        channel: "telegram",
        accountId: "direct",
        peerId: "1",
        dmScope: "per-account-channel-peer",
      }),
    );
  });

  it("refuses a key that would exceed 512 characters", () => {
    expectKeyError(() => buildPeerSessionKey({ channel: "x", peerId: "p".repeat(600), dmScope: "per-peer" }));
  });
});

describe("segment encoding", () => {
  it("escapes only %, :, whitespace and control characters, in lower-case hex", () => {
    expect(encodeKeySegment("+15551234567")).toBe("+15551234567");
    expect(encodeKeySegment("a:b%c d\u0001")).toBe("a%3ab%25c%20d%01");
    expect(decodeKeySegment("a%3ab%25c%20d%01")).toBe("a:b%c d\u0001");
    expect(decodeKeySegment("100%41")).toBe("100%41");
  });

  it("stops a crafted peer id from injecting segments", () => {
    const crafted = buildPeerSessionKey({
      channel: "telegram",
      peerId: "x:thread:evil",
      dmScope: "per-channel-peer",
    });
    expect(crafted).toBe("agent:main:telegram:direct:x%3athread%3aevil");
    expect(parseSessionKey(crafted)).toMatchObject({ peerId: "x:thread:evil" });
    expect(parseSessionKey(crafted)?.threadId).toBeUndefined();

    const perChannel = buildPeerSessionKey({
      channel: "telegram",
      peerId: "default:direct:x",
      dmScope: "per-channel-peer",
    });
    const perAccount = buildPeerSessionKey({
      channel: "telegram",
      peerId: "x",
      dmScope: "per-account-channel-peer",
    });
    expect(perChannel).not.toBe(perAccount);
    expect(parseSessionKey(perChannel)).toMatchObject({ channel: "telegram", peerId: "default:direct:x" });
    expect(parseSessionKey(perChannel)?.accountId).toBeUndefined();
  });
});

describe("parseSessionKey", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    [buildMainSessionKey(), { agentId: "main", rest: "main", kind: "direct", isMain: true }],
    [
      buildPeerSessionKey({ channel: "telegram", peerId: "42", dmScope: "per-peer" }),
      { kind: "direct", chatType: "direct", peerId: "42", isMain: false },
    ],
    [
      buildPeerSessionKey({ channel: "telegram", peerId: "42", dmScope: "per-channel-peer" }),
      { kind: "direct", chatType: "direct", channel: "telegram", peerId: "42" },
    ],
    [
      buildPeerSessionKey({
        channel: "telegram",
        accountId: "b2",
        peerId: "42",
        dmScope: "per-account-channel-peer",
      }),
      { kind: "direct", chatType: "direct", channel: "telegram", accountId: "b2", peerId: "42" },
    ],
    [
      buildPeerSessionKey({ channel: "slack", peerId: "u1", dmScope: "main", threadId: "17.5" }),
      { kind: "direct", isMain: false, threadId: "17.5" },
    ],
    [
      buildGroupSessionKey({ channel: "whatsapp", id: "1203@g.us" }),
      { kind: "group", chatType: "group", channel: "whatsapp", peerId: "1203@g.us" },
    ],
    [
      buildGroupSessionKey({ channel: "discord", kind: "channel", id: "9", threadId: "77" }),
      { kind: "group", chatType: "channel", channel: "discord", peerId: "9", threadId: "77" },
    ],
    [
      buildGroupSessionKey({ channel: "telegram", id: "-100", threadId: "3" }),
      { kind: "group", chatType: "group", channel: "telegram", peerId: "-100", threadId: "3" },
    ],
    [
      buildGroupSessionKey({ channel: "matrix", kind: "channel", id: "!R:m.org", threadId: "$Ev" }),
      { chatType: "channel", channel: "matrix", peerId: "!R:m.org", threadId: "$Ev" },
    ],
    [
      buildCronSessionKey("job-1", "ops"),
      { agentId: "ops", rest: "cron:job-1", kind: "direct", isMain: false },
    ],
    [buildHookSessionKey("gmail"), { rest: "hook:gmail", kind: "direct" }],
    ["agent:main:global", { kind: "global", isMain: false }],
    ["agent:main:unknown", { kind: "unknown" }],
    ["agent:main:discord:room:5", { kind: "group", chatType: "channel", peerId: "5" }],
    ["agent:main:subagent:child", { kind: "direct", isMain: false }],
  ];

  it.each(cases)("parses %s", (key, expected) => {
    expect(parseSessionKey(key)).toMatchObject(expected);
  });

  it("returns undefined for keys that are not agent:<id>:<rest>", () => {
    for (const key of [
      "main",
      "@alice/pi-main",
      "global",
      "agent:",
      "agent:main",
      "agent::main",
      "agent:main:",
    ]) {
      expect(parseSessionKey(key)).toBeUndefined();
    }
  });

  it("recognises a custom main key when told about it", () => {
    expect(parseSessionKey("agent:main:home", { mainKey: "home" })?.isMain).toBe(true);
    expect(parseSessionKey("agent:main:home")?.isMain).toBe(false);
  });
});

describe("normalizeSessionKey", () => {
  it("expands main to the agent's main session", () => {
    expect(normalizeSessionKey("main")).toBe("agent:main:main");
    expect(normalizeSessionKey(" MAIN ", { agentId: "Work" })).toBe("agent:work:main");
  });

  it("gives agent keys OpenClaw's canonical case", () => {
    expect(normalizeSessionKey("Agent:Main:Telegram:Direct:ABC")).toBe("agent:main:telegram:direct:abc");
    expect(normalizeSessionKey("agent:Main:signal:GROUP:AbC=:thread:XyZ")).toBe(
      "agent:main:signal:group:AbC=:thread:xyz",
    );
    expect(normalizeSessionKey("agent:main:Matrix:Channel:!Room%3aM.org:Thread:$Ev")).toBe(
      "agent:main:matrix:channel:!Room%3aM.org:thread:$Ev",
    );
  });

  it("is a fixed point on every built key", () => {
    const built = [
      buildMainSessionKey("ops"),
      buildPeerSessionKey({
        channel: "telegram",
        peerId: "a:b",
        dmScope: "per-account-channel-peer",
        accountId: "x",
      }),
      buildGroupSessionKey({ channel: "signal", id: "QkZ/1=", threadId: "T" }),
      buildGroupSessionKey({ channel: "matrix", kind: "channel", id: "!Ab:m.org", threadId: "$Q" }),
      buildGroupSessionKey({ channel: "telegram", id: "-1", threadId: "9" }),
      buildCronSessionKey("Job 7"),
      buildHookSessionKey("inbox"),
    ];
    for (const key of built) expect(normalizeSessionKey(key)).toBe(key);
  });

  it("scopes recognised relative keys to the agent", () => {
    expect(normalizeSessionKey("telegram:direct:123")).toBe("agent:main:telegram:direct:123");
    expect(normalizeSessionKey("Discord:Channel:9", { agentId: "ops" })).toBe("agent:ops:discord:channel:9");
    expect(normalizeSessionKey("cron:nightly")).toBe("agent:main:cron:nightly");
    expect(normalizeSessionKey("direct:alice")).toBe("agent:main:direct:alice");
  });

  it("keeps sentinels and free-form keys (the quickstart's @alice/pi-main) verbatim", () => {
    expect(normalizeSessionKey("GLOBAL")).toBe("global");
    expect(normalizeSessionKey("unknown")).toBe("unknown");
    expect(normalizeSessionKey("  @alice/pi-main ")).toBe("@alice/pi-main");
    expect(normalizeSessionKey("My Notes")).toBe("My Notes");
  });

  it("rejects malformed agent keys and invalid input", () => {
    expectKeyError(() => normalizeSessionKey("agent:main"));
    expectKeyError(() => normalizeSessionKey("agent::x"));
    expectKeyError(() => normalizeSessionKey(""));
  });
});

describe("assertValidSessionKey", () => {
  it("accepts up to 512 characters", () => {
    expect(() => assertValidSessionKey("k".repeat(512))).not.toThrow();
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["too long", "k".repeat(513)],
    ["NUL", "a\u0000b"],
    ["newline", "a\nb"],
    ["DEL", "a\u007fb"],
  ])("rejects %s keys", (_name, key) => {
    expectKeyError(() => assertValidSessionKey(key));
  });

  it("rejects non-strings", () => {
    expectKeyError(() => assertValidSessionKey(42));
  });
});
