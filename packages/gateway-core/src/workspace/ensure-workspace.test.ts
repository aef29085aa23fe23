import { mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type OpenClawConfig, OpenClawConfigSchema } from "../config/config-schema.js";
import { ensureAgentWorkspaces, ensureWorkspace } from "./ensure-workspace.js";
import { resolveAgentWorkspaceDir, resolveDefaultWorkspaceDir } from "./workspace-dir.js";

const SEEDED = ["AGENTS.md", "HEARTBEAT.md", "IDENTITY.md", "MEMORY.md", "SOUL.md", "TOOLS.md", "USER.md"];

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-workspace-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function config(raw: Record<string, unknown> = {}): OpenClawConfig {
  return OpenClawConfigSchema.parse(raw);
}

async function markdownFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(".md")).sort();
}

describe("ensureWorkspace", () => {
  it("creates the folder (0700) with every template once, and never overwrites an edited file", async () => {
    const dir = join(root, "nested", "workspace");
    const first = await ensureWorkspace(dir);
    expect([...first.created].sort()).toEqual(SEEDED);
    expect(await markdownFiles(dir)).toEqual(SEEDED);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dir, "AGENTS.md"), "utf8")).toContain("# AGENTS.md");

    await writeFile(join(dir, "SOUL.md"), "my own soul\n");
    const second = await ensureWorkspace(dir, { restoreMissing: true });
    expect(second.created).toEqual([]);
    expect(await readFile(join(dir, "SOUL.md"), "utf8")).toBe("my own soul\n");
  });

  it("leaves a deleted template deleted once seeded, unless asked to restore missing files", async () => {
    const dir = join(root, "workspace");
    await ensureWorkspace(dir);
    await unlink(join(dir, "HEARTBEAT.md"));
    expect((await ensureWorkspace(dir)).created).toEqual([]);
    expect(await markdownFiles(dir)).not.toContain("HEARTBEAT.md");
    expect((await ensureWorkspace(dir, { restoreMissing: true })).created).toEqual(["HEARTBEAT.md"]);
  });

  it("fills in only what is missing in a workspace that was never seeded (an existing OpenClaw one)", async () => {
    const dir = join(root, "workspace");
    await ensureWorkspace(dir, { skipBootstrap: true });
    await writeFile(join(dir, "AGENTS.md"), "existing rules\n");
    const ensured = await ensureWorkspace(dir);
    expect(ensured.created).not.toContain("AGENTS.md");
    expect(ensured.created).toContain("SOUL.md");
    expect(await readFile(join(dir, "AGENTS.md"), "utf8")).toBe("existing rules\n");
  });

  it("with skipBootstrap creates the folder and no file", async () => {
    const dir = join(root, "bare");
    const ensured = await ensureWorkspace(dir, { skipBootstrap: true });
    expect(ensured.created).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("workspace resolution", () => {
  const stateDir = "/state";

  it("defaults to <stateDir>/workspace, OPENCLAW_WORKSPACE_DIR overrides, agents.defaults.workspace wins", () => {
    expect(resolveDefaultWorkspaceDir(config(), { stateDir, env: {} })).toBe("/state/workspace");
    const env = { OPENCLAW_WORKSPACE_DIR: "~/ws", HOME: "/home/me" };
    expect(resolveDefaultWorkspaceDir(config(), { stateDir, env })).toBe("/home/me/ws");
    const configured = config({ agents: { defaults: { workspace: "~/configured" } } });
    expect(resolveDefaultWorkspaceDir(configured, { stateDir, env })).toBe("/home/me/configured");
  });

  it("gives the default agent the default workspace and the others their own folder", () => {
    const env = { HOME: "/home/me" };
    const roster = config({
      agents: { list: [{ id: "main" }, { id: "work" }, { id: "pinned", workspace: "~/p" }] },
    });
    expect(resolveAgentWorkspaceDir(roster, "main", { stateDir, env })).toBe("/state/workspace");
    expect(resolveAgentWorkspaceDir(roster, "work", { stateDir, env })).toBe("/state/workspace-work");
    expect(resolveAgentWorkspaceDir(roster, "pinned", { stateDir, env })).toBe("/home/me/p");

    const withRoot = config({
      agents: { defaults: { workspace: "/ws" }, list: [{ id: "work", default: true }, { id: "other" }] },
    });
    expect(resolveAgentWorkspaceDir(withRoot, "work", { stateDir, env })).toBe("/ws");
    expect(resolveAgentWorkspaceDir(withRoot, "other", { stateDir, env })).toBe("/ws/other");
    expect(resolveAgentWorkspaceDir(withRoot, "main", { stateDir, env })).toBe("/ws/main");
  });
});

describe("ensureAgentWorkspaces", () => {
  it("creates the workspace of main and of every configured agent, honouring skipBootstrap", async () => {
    const roster = { list: [{ id: "work" }] };
    const created = await ensureAgentWorkspaces(config({ agents: roster }), { stateDir: root, env: {} });
    expect(created.map((entry) => [entry.agentId, entry.dir])).toEqual([
      ["main", join(root, "workspace")],
      ["work", join(root, "workspace-work")],
    ]);
    expect(await markdownFiles(join(root, "workspace-work"))).toEqual(SEEDED);

    const skipped = join(root, "skipped");
    const bare = config({ agents: { defaults: { workspace: skipped, skipBootstrap: true } } });
    const [main] = await ensureAgentWorkspaces(bare, { stateDir: root, env: {} });
    expect(main).toEqual({ agentId: "main", dir: skipped, created: [] });
    expect(await readdir(skipped)).toEqual([]);
  });
});
