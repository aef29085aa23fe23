import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findChromium } from "./find-chromium.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-find-chromium-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("findChromium", () => {
  it("takes the first known name on PATH and never a non-executable file", async () => {
    await writeFile(join(dir, "chromium"), "not executable");
    await writeFile(join(dir, "google-chrome"), "#!/bin/sh\n");
    await chmod(join(dir, "google-chrome"), 0o755);
    expect(findChromium(undefined, { PATH: dir })).toBe(join(dir, "google-chrome"));
  });

  it("names apt-get install chromium and the config key when there is none", () => {
    expect(() => findChromium(undefined, { PATH: dir })).toThrow(
      expect.objectContaining({
        code: "BROWSER_NOT_FOUND",
        message: expect.stringMatching(/apt-get install chromium.*browser\.executablePath/),
      }),
    );
  });

  it("refuses a configured path that is not an executable file", () => {
    expect(() => findChromium(join(dir, "missing"), { PATH: "/usr/bin" })).toThrow(/browser\.executablePath/);
  });
});
