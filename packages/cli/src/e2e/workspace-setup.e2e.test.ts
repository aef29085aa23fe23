import { readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliEnv, makeStateDir, removeStateDir, runCli } from "./cli-process.js";

const TEMPLATES = ["AGENTS.md", "HEARTBEAT.md", "IDENTITY.md", "MEMORY.md", "SOUL.md", "TOOLS.md", "USER.md"];

let stateDir: string;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await removeStateDir(stateDir);
});

async function markdownFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(".md")).sort();
}

async function readConfig(): Promise<{ agents?: { defaults?: Record<string, unknown> } }> {
  return JSON.parse(await readFile(join(stateDir, "openclaw.json"), "utf8"));
}

describe("openclaw setup", () => {
  it("creates the main workspace with its templates, says where, and changes nothing on a rerun", async () => {
    const env = cliEnv(stateDir);
    const workspace = join(stateDir, "workspace");
    const first = await runCli(["setup"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Workspace of agent "main": ${workspace} (created AGENTS.md, SOUL.md`);
    expect(await markdownFiles(workspace)).toEqual(TEMPLATES);
    // No flags, nothing to save: the config file is left to `openclaw onboard`.
    expect(await readdir(stateDir)).not.toContain("openclaw.json");

    await writeFile(join(workspace, "SOUL.md"), "my soul\n");
    await unlink(join(workspace, "HEARTBEAT.md"));
    const second = await runCli(["setup"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${workspace} (created HEARTBEAT.md)`);
    expect(await readFile(join(workspace, "SOUL.md"), "utf8")).toBe("my soul\n");

    const third = await runCli(["setup", "--json"], env);
    expect(JSON.parse(third.stdout)).toMatchObject({
      configSaved: false,
      skipBootstrap: false,
      workspaces: [{ agentId: "main", dir: workspace, created: [] }],
    });
  });

  it("--workspace and --skip-bootstrap are saved, and the folder is created empty", async () => {
    const target = join(stateDir, "elsewhere");
    const result = await runCli(["setup", "--workspace", target, "--skip-bootstrap"], cliEnv(stateDir));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Saved ${join(stateDir, "openclaw.json")}`);
    expect(result.stdout).toContain(`${target} (no templates: agents.defaults.skipBootstrap is true)`);
    expect((await readConfig()).agents?.defaults).toEqual({ workspace: target, skipBootstrap: true });
    expect(await readdir(target)).toEqual([]);
  });

  it("follows OPENCLAW_WORKSPACE_DIR and sets up every configured agent", async () => {
    await writeFile(join(stateDir, "openclaw.json"), JSON.stringify({ agents: { list: [{ id: "work" }] } }));
    const custom = join(stateDir, "from-env");
    const result = await runCli(["setup"], cliEnv(stateDir, { OPENCLAW_WORKSPACE_DIR: custom }));
    expect(result.code).toBe(0);
    expect(await markdownFiles(custom)).toEqual(TEMPLATES);
    expect(await markdownFiles(join(stateDir, "workspace-work"))).toEqual(TEMPLATES);
    expect(result.stdout).toContain(`Workspace of agent "work": ${join(stateDir, "workspace-work")}`);
  });
});

describe("openclaw onboard creates the workspace", () => {
  it("after saving the config, with the templates unless --skip-bootstrap", async () => {
    const env = cliEnv(stateDir);
    const onboarded = await runCli(["onboard", "--provider", "openai", "--api-key", "sk-1"], env);
    expect(onboarded.code).toBe(0);
    const workspace = join(stateDir, "workspace");
    expect(onboarded.stdout).toContain(`Workspace of agent "main": ${workspace} (created AGENTS.md`);
    expect(await markdownFiles(workspace)).toEqual(TEMPLATES);

    const bare = await makeStateDir();
    try {
      const skipped = await runCli(["onboard", "--skip-bootstrap", "--provider", "openai"], cliEnv(bare));
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain("no templates: agents.defaults.skipBootstrap is true");
      const saved = JSON.parse(await readFile(join(bare, "openclaw.json"), "utf8"));
      expect(saved.agents.defaults.skipBootstrap).toBe(true);
      expect(await readdir(join(bare, "workspace"))).toEqual([]);
    } finally {
      await removeStateDir(bare);
    }
  });
});
