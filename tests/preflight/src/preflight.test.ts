import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { chromiumPlan, nodeVersionProblem } from "../../../scripts/preflight.mjs";
import { oldNodeBinary } from "./old-node.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PREFLIGHT = join(ROOT, "scripts", "preflight.mjs");
const CLI_BIN = join(ROOT, "packages", "cli", "dist", "bin.js");
const scratch = mkdtempSync(join(tmpdir(), "openclaw-preflight-test-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const THE_FIX =
  "npm i --prefix ~/.local/node24 node@24 && export PATH=~/.local/node24/node_modules/.bin:$PATH";

describe("an old Node.js gets a clear stop with the fix", () => {
  const old = oldNodeBinary();
  const oldPath = `${old.binDir}:${process.env.PATH}`;

  it("the preflight script, run by the old Node itself, says what to do and exits 1", () => {
    for (const mode of ["install", "start", "test"]) {
      const run = spawnSync(old.node, [PREFLIGHT, mode], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`this is Node.js ${old.version.slice(1)}`);
      expect(run.stderr).toContain(THE_FIX);
      expect(run.stderr).toContain("nvm install 24");
    }
  });

  it("`pnpm install` (the README's first command) stops before installing anything", () => {
    // A copy of the workspace manifests: pnpm runs the root's pnpm:devPreinstall before it installs a thing.
    const copy = join(scratch, "workspace");
    const manifests = spawnSync(
      "git",
      ["ls-files", "package.json", "*/package.json", "pnpm-*.yaml", "scripts"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    ).stdout.split("\n");
    for (const file of manifests.filter(Boolean)) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(ROOT, file), join(copy, file));
    }
    const install = spawnSync("npx", ["-y", "pnpm@10", "install", "--frozen-lockfile"], {
      cwd: copy,
      encoding: "utf8",
      env: { ...process.env, PATH: oldPath, CI: "true" },
    });
    const output = `${install.stdout}${install.stderr}`;
    expect(install.status, output).not.toBe(0);
    expect(output).toContain("This project needs Node.js >= 22.12");
    expect(output).toContain(THE_FIX);
    expect(existsSync(join(copy, "node_modules", ".pnpm"))).toBe(false);
  });

  it("the built CLI (`npx openclaw`) checks before it imports what an old Node lacks", () => {
    const run = spawnSync(old.node, [CLI_BIN, "gateway"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("openclaw needs Node.js >= 22.12");
    expect(run.stderr).toContain(THE_FIX);
    expect(run.stderr).not.toContain("ERR_UNKNOWN_BUILTIN_MODULE");
  });

  it("a current Node passes", () => {
    expect(nodeVersionProblem("v22.12.0")).toBeUndefined();
    expect(nodeVersionProblem("v24.1.0")).toBeUndefined();
    expect(nodeVersionProblem("v22.11.9")).toContain("needs Node.js >= 22.12");
  });
});

describe("Chromium for the browser tests", () => {
  const machine = (
    o: Partial<{ exists: string[]; hasAptGet: boolean; uid: number; passwordlessSudo: boolean }>,
  ) => ({
    executable: (path: string) => (o.exists ?? []).includes(path),
    hasAptGet: o.hasAptGet ?? true,
    uid: o.uid ?? 1000,
    passwordlessSudo: o.passwordlessSudo ?? false,
  });

  it("uses Debian's /usr/bin/chromium when it is there", () => {
    expect(chromiumPlan({}, machine({ exists: ["/usr/bin/chromium"] }))).toEqual({
      action: "ok",
      path: "/usr/bin/chromium",
    });
  });

  it("installs it with apt-get as root, or with sudo when sudo asks no password", () => {
    expect(chromiumPlan({}, machine({ uid: 0 }))).toEqual({ action: "install", sudo: false });
    expect(chromiumPlan({}, machine({ passwordlessSudo: true }))).toEqual({ action: "install", sudo: true });
  });

  it("otherwise stops at once with the one command to run", () => {
    const plan = chromiumPlan({}, machine({}));
    expect(plan.action).toBe("stop");
    expect(plan.message).toContain("sudo apt-get install -y chromium");
    const noApt = chromiumPlan({}, machine({ hasAptGet: false }));
    expect(noApt.action).toBe("stop");
    expect(noApt.message).toContain("OPENCLAW_CHROMIUM_PATH");
  });

  it("OPENCLAW_CHROMIUM_PATH names another browser; a wrong one stops the run with that path", () => {
    const env = { OPENCLAW_CHROMIUM_PATH: "/opt/chrome/chrome" };
    expect(chromiumPlan(env, machine({ exists: ["/opt/chrome/chrome"] }))).toEqual({
      action: "ok",
      path: "/opt/chrome/chrome",
    });
    const missing = join(scratch, "no-such-chromium");
    const run = spawnSync(process.execPath, [PREFLIGHT, "test"], {
      encoding: "utf8",
      env: { ...process.env, OPENCLAW_CHROMIUM_PATH: missing },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`OPENCLAW_CHROMIUM_PATH is ${missing}, which is not an executable file`);
  });

  it("the root test script runs the preflight before turbo starts any package", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.test).toMatch(/^node scripts\/preflight\.mjs test && /);
    expect(pkg.scripts.start).toMatch(/^node scripts\/preflight\.mjs start && /);
    expect(pkg.scripts["pnpm:devPreinstall"]).toBe("node scripts/preflight.mjs install");
  });
});
