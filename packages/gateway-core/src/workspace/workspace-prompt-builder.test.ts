import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type OpenClawConfig, OpenClawConfigSchema } from "../config/config-schema.js";
import { createWorkspacePromptBuilder } from "./workspace-prompt-builder.js";

let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-builder-"));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

async function writeSkill(dir: string, name: string, description: string, requires = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const metadata = JSON.stringify({ openclaw: { requires } });
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: ${description}\nmetadata: ${metadata}\n---\n\nBody.\n`,
  );
}

function builder(raw: Record<string, unknown>, extraRoots: string[] = []) {
  let config: OpenClawConfig = OpenClawConfigSchema.parse(raw);
  return {
    setConfig(next: Record<string, unknown>) {
      config = OpenClawConfigSchema.parse(next);
    },
    ...createWorkspacePromptBuilder({
      getConfig: () => config,
      stateDir,
      env: { PATH: process.env.PATH },
      listSkillRoots: () => extraRoots,
    }),
  };
}

const tools = [{ name: "read", description: "Read a file" }];

describe("createWorkspacePromptBuilder", () => {
  it("seeds the agent's workspace on its first run and builds the prompt from it", async () => {
    const prompts = builder({});
    const prepared = await prompts.prepare({ agentId: "main", sessionKey: "agent:main:main", tools });
    expect(prepared.workspaceDir).toBe(join(stateDir, "workspace"));
    expect(await readdir(prepared.workspaceDir)).toContain("SOUL.md");
    expect(prepared.systemPrompt).toContain("# SOUL.md: who you are");
    expect(prepared.systemPrompt).toContain("# MEMORY.md: long-term memory");

    const other = await prompts.prepare({ agentId: "work", sessionKey: "agent:work:main", tools });
    expect(other.workspaceDir).toBe(join(stateDir, "workspace-work"));
  });

  it("with skipBootstrap creates an empty workspace and injects nothing but a missing-file marker", async () => {
    const prompts = builder({ agents: { defaults: { skipBootstrap: true } } });
    const prepared = await prompts.prepare({ agentId: "main", sessionKey: "agent:main:main", tools });
    expect(await readdir(prepared.workspaceDir)).toEqual([]);
    expect(prepared.systemPrompt).toContain("[missing: create");
    expect(prepared.systemPrompt).not.toContain("# SOUL.md: who you are");
  });

  it("lists eligible skills of the workspace, the managed folder and extra roots; disabled or ineligible ones are left out", async () => {
    const bundled = join(stateDir, "plugin-bundle");
    const prompts = builder({}, [bundled]);
    const workspace = join(stateDir, "workspace");
    await writeSkill(join(workspace, "skills", "notes"), "notes", "Keep notes in the workspace");
    await writeSkill(join(workspace, "skills", "muted"), "muted", "Switched off in config");
    await writeSkill(join(workspace, "skills", "needs-env"), "needs-env", "Needs a key", {
      env: ["OPENCLAW_TEST_UNSET_SKILL_KEY"],
    });
    await writeSkill(join(stateDir, "skills", "managed-one"), "managed-one", "Installed with skills.install");
    await writeSkill(join(bundled, "skills", "bundled-one"), "bundled-one", "Shipped by a plugin");
    prompts.setConfig({ skills: { entries: { muted: { enabled: false } } } });

    const { systemPrompt } = await prompts.prepare({ agentId: "main", sessionKey: "agent:main:main", tools });
    expect(systemPrompt).toContain("## Skills");
    expect(systemPrompt).toContain("<name>notes</name>");
    expect(systemPrompt).toContain(`<location>${join(workspace, "skills", "notes", "SKILL.md")}</location>`);
    expect(systemPrompt).toContain("<name>managed-one</name>");
    expect(systemPrompt).toContain("<name>bundled-one</name>");
    expect(systemPrompt).not.toContain("<name>muted</name>");
    expect(systemPrompt).not.toContain("<name>needs-env</name>");

    prompts.setConfig({
      skills: { entries: { muted: { enabled: true } } },
      agents: { defaults: { skills: ["muted"] } },
    });
    const allowlisted = await prompts.prepare({ agentId: "main", sessionKey: "agent:main:main", tools });
    expect(allowlisted.systemPrompt).toContain("<name>muted</name>");
    expect(allowlisted.systemPrompt).not.toContain("<name>notes</name>");
  });
});
