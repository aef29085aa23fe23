import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliCommand } from "./cli-invocation.js";
import { withCommandHints } from "./output.js";

let dir: string;
let bin: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-cli-invocation-"));
  bin = join(dir, "pkg", "dist", "bin.js");
  await mkdir(join(dir, "pkg", "dist"), { recursive: true });
  await writeFile(bin, "#!/usr/bin/env node\n");
  await chmod(bin, 0o755);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("cliCommand names the command that works where the user is", () => {
  it("the repository's root scripts (pnpm openclaw, pnpm start): pnpm openclaw, or npm run openclaw --", async () => {
    const globalBin = join(dir, "global-bin");
    await mkdir(globalBin);
    await writeFile(join(globalBin, "pnpm"), "#!/bin/sh\n");
    const pnpm = {
      npm_lifecycle_event: "openclaw",
      npm_config_user_agent: "pnpm/10.34.9 npm/? node/v24",
      PATH: globalBin,
    };
    expect(cliCommand(pnpm, bin, dir)).toBe("pnpm openclaw");
    // Run as `npx -y pnpm@10 openclaw`: the only pnpm is npx's, which is gone after the run.
    const npxBin = join(dir, "_npx", "a1b2", "node_modules", ".bin");
    await mkdir(npxBin, { recursive: true });
    await writeFile(join(npxBin, "pnpm"), "#!/bin/sh\n");
    expect(cliCommand({ ...pnpm, PATH: npxBin }, bin, dir)).toBe("npx -y pnpm@10 openclaw");
    const npm = { npm_lifecycle_event: "openclaw", npm_config_user_agent: "npm/11.6.0 node/v24" };
    expect(cliCommand(npm, bin, dir)).toBe("npm run openclaw --");
    const start = { npm_lifecycle_event: "start", npm_package_name: "openclaw-gateway-monorepo" };
    expect(cliCommand({ ...start, npm_config_user_agent: "pnpm/10.34.9", PATH: globalBin }, bin, dir)).toBe(
      "pnpm openclaw",
    );
  });

  it("npx", () => {
    expect(cliCommand({ npm_command: "exec" }, bin, dir)).toBe("npx openclaw");
  });

  it("an installed openclaw on PATH that is this very file", async () => {
    const pathDir = join(dir, "bin");
    await mkdir(pathDir);
    await symlink(bin, join(pathDir, "openclaw"));
    expect(cliCommand({ PATH: pathDir }, bin, dir)).toBe("openclaw");
  });

  it("another openclaw on PATH (for example the original OpenClaw) is not taken for this one", async () => {
    const pathDir = join(dir, "bin");
    await mkdir(pathDir);
    await writeFile(join(pathDir, "openclaw"), "#!/bin/sh\n");
    await chmod(join(pathDir, "openclaw"), 0o755);
    expect(cliCommand({ PATH: pathDir }, bin, dir)).toBe(`node ${join("pkg", "dist", "bin.js")}`);
  });

  it("otherwise node and the script's path, relative when inside the working directory", () => {
    expect(cliCommand({ PATH: "" }, bin, join(dir, "pkg"))).toBe(`node ${join("dist", "bin.js")}`);
    expect(cliCommand({ PATH: "" }, bin, tmpdir())).toBe(`node ${bin.slice(tmpdir().length + 1)}`);
    expect(cliCommand({ PATH: "" }, bin, join(dir, "elsewhere"))).toBe(`node ${bin}`);
  });
});

describe("withCommandHints rewrites quoted hints to that command", () => {
  it("rewrites `openclaw <command>` and leaves other mentions alone", () => {
    const text =
      "run `openclaw doctor`; the config is openclaw.json; see `openclaw.json` and the `openclaw` CLI";
    expect(withCommandHints(text, "pnpm openclaw")).toBe(
      "run `pnpm openclaw doctor`; the config is openclaw.json; see `openclaw.json` and the `openclaw` CLI",
    );
    expect(withCommandHints(text, "openclaw")).toBe(text);
  });
});
