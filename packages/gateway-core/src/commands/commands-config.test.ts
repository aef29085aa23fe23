import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load-config.js";
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

  it("keeps keys it does not act on and names the key of an invalid section", () => {
    expect(readCommandsConfig({ allowFrom: { "*": [123, "45"] }, bash: true })).toEqual({
      ok: true,
      config: { allowFrom: { "*": [123, "45"] }, bash: true },
    });
    expect(readCommandsConfig(undefined)).toEqual({ ok: true, config: {} });
    const broken = readCommandsConfig({ allowFrom: { telegram: "everyone" } });
    expect(broken.ok).toBe(false);
    expect(broken.ok ? "" : broken.problem).toMatch(/^commands\.allowFrom\.telegram /);
  });
});

describe("commands in openclaw.json", () => {
  it("is checked when the config loads; commands this gateway lacks are kept with a note", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openclaw-commands-config-"));
    try {
      const path = join(dir, "openclaw.json");
      await writeFile(path, '{ commands: { native: "auto", allowFrom: { "*": [12] }, bash: true } }');
      const loaded = await loadConfig(path);
      expect(loaded.warnings).toEqual([
        "`commands.bash` is not supported by this gateway: no /bash or ! command",
      ]);
      await writeFile(path, '{ commands: { native: "sometimes" } }');
      await expect(loadConfig(path)).rejects.toThrow(/commands\.native/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
