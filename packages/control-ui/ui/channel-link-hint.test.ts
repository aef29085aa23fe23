import { describe, expect, it } from "vitest";
import { channelLinkHint } from "./channel-link-hint.js";

describe("channelLinkHint", () => {
  it("shows the QR code an unlinked WhatsApp account carries", () => {
    expect(
      channelLinkHint("whatsapp", {
        accountId: "default",
        connected: false,
        qrDataUrl: "data:image/png;base64,AA",
      }),
    ).toEqual({ kind: "qr", imageUrl: "data:image/png;base64,AA" });
  });

  it("falls back to the login command, naming a non-default account", () => {
    expect(channelLinkHint("whatsapp", { accountId: "default", running: true })).toEqual({
      kind: "login-command",
      command: "openclaw channels login whatsapp",
    });
    expect(channelLinkHint("whatsapp", { accountId: "work", qrDataUrl: "javascript:alert(1)" })).toEqual({
      kind: "login-command",
      command: "openclaw channels login whatsapp --account work",
    });
  });

  it("says nothing for linked accounts and other channels", () => {
    expect(channelLinkHint("whatsapp", { accountId: "default", connected: true })).toBeUndefined();
    expect(channelLinkHint("telegram", { accountId: "default", connected: false })).toBeUndefined();
  });
});
