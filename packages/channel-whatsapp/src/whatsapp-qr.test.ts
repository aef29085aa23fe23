import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveWhatsAppAuthDir } from "./whatsapp-auth-dir.js";
import { renderQrForTerminal } from "./whatsapp-qr.js";

describe("renderQrForTerminal", () => {
  it("draws the QR code as lines of block characters", () => {
    const rendered = renderQrForTerminal("2@abc,def,ghi");
    const lines = rendered.split("\n").filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThan(10);
    expect(rendered).toMatch(/[▀▄█]/);
    expect(renderQrForTerminal("2@other")).not.toBe(rendered);
  });
});

describe("resolveWhatsAppAuthDir", () => {
  it("prefers config.authDir, then OPENCLAW_STATE_DIR, then ~/.openclaw", () => {
    expect(resolveWhatsAppAuthDir("/srv/wa", "work", {})).toBe("/srv/wa");
    expect(resolveWhatsAppAuthDir(undefined, "work", { OPENCLAW_STATE_DIR: "/state" })).toBe(
      join("/state", "credentials", "whatsapp", "work"),
    );
    expect(resolveWhatsAppAuthDir(undefined, "default", {})).toMatch(
      /\.openclaw[/\\]credentials[/\\]whatsapp[/\\]default$/,
    );
  });
});
