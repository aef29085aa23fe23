import { afterEach, describe, expect, it } from "vitest";
import { createPairingStore } from "../../channels/pairing-store.js";
import { decideOutboundAccess } from "./outbound-access.js";
import { CHANNEL, startToolPortsHarness, type ToolPortsHarness } from "./tool-ports-harness.test-support.js";

let harness: ToolPortsHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("message over the channel manager", () => {
  it("sends to an allowed chat through the running channel and returns the platform ids", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    const result = await h.call(
      "message",
      { action: "send", channel: CHANNEL, target: "u1", message: "Reminder: stand-up", threadId: "t9" },
      "agent:main:main",
    );
    expect(result).toEqual({
      ok: true,
      action: "send",
      channel: CHANNEL,
      accountId: "default",
      to: "u1",
      threadId: "t9",
      messageId: "out-1",
      messageIds: ["out-1"],
    });
    expect(h.sent).toEqual([{ accountId: "default", to: "u1", text: "Reminder: stand-up", threadId: "t9" }]);
  });

  it("answers the calling session's own chat when no target is named", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    await h.call("message", { action: "send", message: "on it" }, `agent:main:${CHANNEL}:direct:u1`);
    await h.call("message", { action: "send", message: "hi group" }, `agent:main:${CHANNEL}:group:g1`);
    expect(h.sent.map((sent) => [sent.to, sent.text])).toEqual([
      ["u1", "on it"],
      ["g1", "hi group"],
    ]);
    await expect(h.call("message", { action: "send", message: "x" }, "agent:main:main")).rejects.toThrow(
      /no chat of its own/,
    );
  });

  it("refuses a chat the access policy would not take messages from, before anything is sent", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    await expect(
      h.call(
        "message",
        { action: "send", channel: CHANNEL, target: "stranger", message: "hello" },
        "agent:main:main",
      ),
    ).rejects.toMatchObject({ code: "DENIED", message: expect.stringContaining("allowFrom") });
    const dry = await h.call(
      "message",
      { action: "send", channel: CHANNEL, target: "g1", message: "check", dryRun: true },
      "agent:main:main",
    );
    expect(dry).toMatchObject({ ok: true, dryRun: true, to: "g1" });
    expect(h.sent).toEqual([]);
  });

  it("reports a channel that is configured but not running as unavailable", async () => {
    const h = await startToolPortsHarness({
      channels: {
        [CHANNEL]: { dmPolicy: "open", allowFrom: ["*"] },
        offline: { dmPolicy: "open", allowFrom: ["*"] },
      },
    });
    harness = h;
    await expect(
      h.call(
        "message",
        { action: "send", channel: "offline", target: "u1", message: "x" },
        "agent:main:main",
      ),
    ).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await expect(
      h.call("message", { action: "send", target: "u1", message: "x" }, "agent:main:main"),
    ).rejects.toThrow(/several channels are configured/);
  });
});

describe("decideOutboundAccess", () => {
  const base = { channel: "chat", accountId: "default", isPaired: () => false };

  it("follows the DM rules: allowFrom, wildcard, pairing approvals, and disabled", () => {
    expect(decideOutboundAccess({ ...base, accountConfig: { allowFrom: ["5"] }, to: "5" }).allowed).toBe(
      true,
    );
    expect(decideOutboundAccess({ ...base, accountConfig: { allowFrom: ["*"] }, to: "9" }).allowed).toBe(
      true,
    );
    expect(
      decideOutboundAccess({ ...base, accountConfig: {}, to: "9", isPaired: (id) => id === "9" }).allowed,
    ).toBe(true);
    expect(
      decideOutboundAccess({ ...base, accountConfig: { dmPolicy: "disabled", allowFrom: ["5"] }, to: "5" })
        .allowed,
    ).toBe(false);
  });

  it("follows the group rules: allowlisted or open groups, never a disabled one", () => {
    expect(
      decideOutboundAccess({ ...base, accountConfig: { groups: { "-100": {} } }, to: "-100" }).allowed,
    ).toBe(true);
    expect(decideOutboundAccess({ ...base, accountConfig: { groups: { "*": {} } }, to: "-7" }).allowed).toBe(
      true,
    );
    expect(decideOutboundAccess({ ...base, accountConfig: { groupPolicy: "open" }, to: "-7" }).allowed).toBe(
      true,
    );
    expect(
      decideOutboundAccess({
        ...base,
        accountConfig: { groupPolicy: "open", groups: { "-7": { enabled: false } } },
        to: "-7",
      }).allowed,
    ).toBe(false);
    expect(decideOutboundAccess({ ...base, accountConfig: {}, to: "-7" }).allowed).toBe(false);
  });

  it("lets an approved pairing open a DM target, read from the real pairing store", async () => {
    const h = await startToolPortsHarness();
    harness = h;
    const pairing = createPairingStore({ stateDir: h.stateDir });
    const request = pairing.request({ channel: CHANNEL, accountId: "default", senderId: "u2" });
    pairing.approve(CHANNEL, request.code ?? "");
    const result = await h.call(
      "message",
      { action: "send", channel: CHANNEL, target: "u2", message: "welcome" },
      "agent:main:main",
    );
    expect(result.ok).toBe(true);
  });
});
