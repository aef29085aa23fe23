import { describe, expect, it } from "vitest";
import { nativeCommandsEnabled, readCommandsConfig } from "./commands-config.js";

describe("commands config", () => {
  it("registers natively on Telegram and Discord by default, not on Slack or others", () => {
    expect(nativeCommandsEnabled("telegram", {}, {})).toBe(true);
    expect(nativeCommandsEnabled("discord", { native: "auto" }, {})).toBe(true);
    expect(nativeCommandsEnabled("slack", {}, {})).toBe(false);
    expect(nativeCommandsEnabled("whatsapp", {}, {})).toBe(false);
  });

  it("lets commands.native and then channels.<id>.commands.native decide", () => {
    expect(nativeCommandsEnabled("slack", { native: true }, {})).toBe(true);
    expect(nativeCommandsEnabled("telegram", { native: false }, {})).toBe(false);
    expect(nativeCommandsEnabled("telegram", { native: true }, { commands: { native: false } })).toBe(false);
    expect(nativeCommandsEnabled("slack", { native: false }, { commands: { native: true } })).toBe(true);
  });

  it("reads allowFrom entries as strings and names the key of an invalid section", () => {
    expect(readCommandsConfig({ allowFrom: { "*": [123, " 45 "] }, bash: true })).toEqual({
      ok: true,
      config: { allowFrom: { "*": ["123", "45"] }, bash: true },
    });
    expect(readCommandsConfig(undefined)).toEqual({ ok: true, config: {} });
    const broken = readCommandsConfig({ allowFrom: { telegram: "everyone" } });
    expect(broken.ok).toBe(false);
    expect(broken.ok ? "" : broken.problem).toMatch(/^commands\.allowFrom\.telegram /);
  });
});
