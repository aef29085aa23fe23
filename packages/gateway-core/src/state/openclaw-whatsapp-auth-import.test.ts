import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { importFlatWhatsAppAuth, isFlatWhatsAppAuthFile } from "./openclaw-whatsapp-auth-import.js";

let stateDir: string;
const logger = createLogger({ sinks: [] });
const credentials = () => join(stateDir, "credentials");

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-wa-auth-"));
  await mkdir(credentials(), { recursive: true });
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** An older OpenClaw's flat layout: Baileys' files beside the pairing files and oauth.json. */
async function writeFlatLayout(): Promise<void> {
  const files: Record<string, string> = {
    "creds.json": '{"me":{"id":"15555550123:1@s.whatsapp.net"}}',
    "pre-key-1.json": '{"public":"a"}',
    "session-15555550123.0.json": '{"s":1}',
    "app-state-sync-key-AAA.json": '{"k":1}',
    "telegram-allowFrom.json": '{"version":1,"allowFrom":["1"]}',
    "oauth.json": "{}",
  };
  for (const [name, body] of Object.entries(files)) await writeFile(join(credentials(), name), body);
}

describe("importFlatWhatsAppAuth", () => {
  it("copies only Baileys' files into credentials/whatsapp/default, keeps the originals, and runs once", async () => {
    await writeFlatLayout();
    const before = (await readdir(credentials())).sort();
    expect(await importFlatWhatsAppAuth({ stateDir, logger })).toBe(4);
    const target = join(credentials(), "whatsapp", "default");
    expect((await readdir(target)).sort()).toEqual([
      "app-state-sync-key-AAA.json",
      "creds.json",
      "pre-key-1.json",
      "session-15555550123.0.json",
    ]);
    expect(await readFile(join(target, "creds.json"), "utf8")).toContain("15555550123");
    expect((await readdir(credentials())).filter((name) => name !== "whatsapp").sort()).toEqual(before);

    // A logout removes the account folder: the old state must not come back on the next start.
    await rm(target, { recursive: true });
    expect(await importFlatWhatsAppAuth({ stateDir, logger })).toBe(0);
    expect(await readdir(join(credentials(), "whatsapp"))).not.toContain("default");
  });

  it("leaves an account folder that already has its creds alone, and does nothing without a flat creds.json", async () => {
    await writeFlatLayout();
    await mkdir(join(credentials(), "whatsapp", "default"), { recursive: true });
    await writeFile(join(credentials(), "whatsapp", "default", "creds.json"), '{"me":{"id":"newer"}}');
    expect(await importFlatWhatsAppAuth({ stateDir, logger })).toBe(0);
    expect(await readFile(join(credentials(), "whatsapp", "default", "creds.json"), "utf8")).toContain(
      "newer",
    );

    const empty = await mkdtemp(join(tmpdir(), "openclaw-wa-auth-empty-"));
    try {
      expect(await importFlatWhatsAppAuth({ stateDir: empty, logger })).toBe(0);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("knows Baileys' file names and nothing else", () => {
    expect(["creds.json", "creds.json.bak", "sender-key-x.json"].every(isFlatWhatsAppAuthFile)).toBe(true);
    expect(["oauth.json", "telegram-pairing.json", "session.txt"].some(isFlatWhatsAppAuthFile)).toBe(false);
  });
});
