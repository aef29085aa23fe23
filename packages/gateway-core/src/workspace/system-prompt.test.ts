import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type OpenClawConfig, OpenClawConfigSchema } from "../config/config-schema.js";
import { isMainSession, promptSessionKind } from "./prompt-session.js";
import { buildSystemPrompt, type SystemPromptInput } from "./system-prompt.js";

let root: string;
let workspaceDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-prompt-"));
  workspaceDir = join(root, "workspace");
  await mkdir(workspaceDir);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function config(raw: Record<string, unknown> = {}): OpenClawConfig {
  return OpenClawConfigSchema.parse(raw);
}

async function writeFiles(files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(workspaceDir, name), content);
}

const READ_TOOL = { name: "read", description: "Read a file.\nLong details the prompt leaves out." };

function input(overrides: Partial<SystemPromptInput> = {}): SystemPromptInput {
  return {
    config: config(),
    agentId: "main",
    sessionKey: "agent:main:main",
    workspaceDir,
    tools: [READ_TOOL],
    skills: [],
    runtime: { now: new Date("2026-03-04T10:00:00Z"), timeZone: "Europe/Berlin", model: "openai/gpt-test" },
    ...overrides,
  };
}

function positions(prompt: string, markers: string[]): number[] {
  return markers.map((marker) => {
    const at = prompt.indexOf(marker);
    expect(at, `"${marker}" in the prompt`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

describe("buildSystemPrompt", () => {
  it("puts the sections in OpenClaw's order and the bootstrap files in theirs", async () => {
    await writeFiles({
      "MEMORY.md": "memory text",
      "USER.md": "user text",
      "SOUL.md": "soul text",
      "AGENTS.md": "agents text",
      "TOOLS.md": "tools text",
      "IDENTITY.md": "identity text",
      "HEARTBEAT.md": "heartbeat text",
    });
    const prompt = await buildSystemPrompt(
      input({
        config: config({ agents: { defaults: { systemPrompt: "Always answer in French." } } }),
        skills: [{ name: "weather", description: "Forecasts", location: "/skills/weather/SKILL.md" }],
      }),
    );
    const order = positions(prompt, [
      "You are a personal assistant",
      "Always answer in French.",
      "## Tooling",
      "## Safety",
      "## Skills",
      "## Workspace\n",
      "## Workspace Files (injected)",
      "# Project Context",
      "agents text",
      "soul text",
      "tools text",
      "identity text",
      "user text",
      "heartbeat text",
      "memory text",
      "## Current Date & Time",
      "## Runtime",
    ]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(prompt).toContain("- read: Read a file.");
    expect(prompt).not.toContain("Long details");
    expect(prompt).toContain(`Your working directory is ${workspaceDir}`);
    expect(prompt).toContain("Today is Wednesday, 2026-03-04 (time zone Europe/Berlin).");
    expect(prompt).toContain("model=openai/gpt-test");
  });

  it("a per-agent systemPrompt replaces the defaults' one", async () => {
    const prompt = await buildSystemPrompt(
      input({
        config: config({
          agents: {
            defaults: { systemPrompt: "default base" },
            list: [{ id: "main", systemPrompt: "own base" }],
          },
        }),
      }),
    );
    expect(prompt).toContain("own base");
    expect(prompt).not.toContain("default base");
  });

  it("cuts a file over bootstrapMaxChars with a visible note, and says so once", async () => {
    const long = `${"a".repeat(700)}${"b".repeat(600)}${"z".repeat(200)}`;
    await writeFiles({ "AGENTS.md": long, "SOUL.md": "short soul" });
    const prompt = await buildSystemPrompt(
      input({ config: config({ agents: { defaults: { bootstrapMaxChars: 1000 } } }) }),
    );
    expect(prompt).toContain(
      `[... cut: this file has 1500 characters and only 900 fit in the prompt; read ${join(workspaceDir, "AGENTS.md")}`,
    );
    expect(prompt).toContain("a".repeat(700));
    expect(prompt).toContain("z".repeat(200));
    expect(prompt).not.toContain("b".repeat(600));
    expect(prompt).toContain("short soul");
    expect(prompt).toContain("## Bootstrap Context Notice");
    expect(prompt).toContain("cut to fit: AGENTS.md");
  });

  it("stops at bootstrapTotalMaxChars: later files are cut, then left out, and named", async () => {
    await writeFiles({
      "AGENTS.md": "x".repeat(900),
      "SOUL.md": "y".repeat(900),
      "IDENTITY.md": "w".repeat(50),
    });
    const prompt = await buildSystemPrompt(
      input({
        config: config({ agents: { defaults: { bootstrapMaxChars: 1000, bootstrapTotalMaxChars: 1000 } } }),
      }),
    );
    expect(prompt).toContain("x".repeat(900));
    expect(prompt).not.toContain("y".repeat(100));
    expect(prompt).not.toContain("w".repeat(50));
    expect(prompt).toContain("cut to fit: SOUL.md");
    expect(prompt).toContain("left out for lack of room: IDENTITY.md");
  });

  it("loads MEMORY.md in the main and direct sessions only", async () => {
    await writeFiles({ "AGENTS.md": "rules", "MEMORY.md": "secret plans" });
    const withMemory = ["agent:main:main", "agent:main:telegram:direct:42", "agent:main:direct:42"];
    for (const sessionKey of withMemory) {
      expect(await buildSystemPrompt(input({ sessionKey })), sessionKey).toContain("secret plans");
    }
    const withoutMemory = [
      "agent:main:telegram:group:-100123",
      "agent:main:discord:channel:99",
      "agent:main:global",
      "agent:main:cron:daily",
      "agent:main:hook:gmail",
      "agent:main:subagent:abc",
    ];
    for (const sessionKey of withoutMemory) {
      const prompt = await buildSystemPrompt(input({ sessionKey }));
      expect(prompt, sessionKey).not.toContain("secret plans");
      expect(prompt, sessionKey).toContain("rules");
    }
    expect(await buildSystemPrompt(input({ isMainSession: false }))).not.toContain("secret plans");
  });

  it("gives a sub-agent AGENTS.md only and marks a missing AGENTS.md", async () => {
    await writeFiles({ "AGENTS.md": "rules", "SOUL.md": "soul-content-marker" });
    const sub = await buildSystemPrompt(input({ sessionKey: "agent:main:subagent:1" }));
    expect(sub).toContain("rules");
    expect(sub).not.toContain("soul-content-marker");

    await rm(join(workspaceDir, "AGENTS.md"));
    const missing = await buildSystemPrompt(input());
    expect(missing).toContain(`[missing: create ${join(workspaceDir, "AGENTS.md")}`);
    expect(missing).not.toContain("USER.md");
  });

  it("picks up an edited file and never follows a link out of the workspace", async () => {
    await writeFiles({ "AGENTS.md": "first version" });
    expect(await buildSystemPrompt(input())).toContain("first version");
    await writeFiles({ "AGENTS.md": "second, longer version" });
    expect(await buildSystemPrompt(input())).toContain("second, longer version");

    await writeFile(join(root, "outside.md"), "host secret");
    await symlink(join(root, "outside.md"), join(workspaceDir, "SOUL.md"));
    const prompt = await buildSystemPrompt(input());
    expect(prompt).not.toContain("host secret");
    expect(prompt).toContain("[not loaded: it links outside the workspace]");
  });

  it("lists skills only when the read tool is offered", async () => {
    const skills = [{ name: "notes", description: "Take <notes>", location: "/s/notes/SKILL.md" }];
    const prompt = await buildSystemPrompt(input({ skills }));
    expect(prompt).toContain(
      "<skill>\n    <name>notes</name>\n    <description>Take &lt;notes&gt;</description>\n    <location>/s/notes/SKILL.md</location>\n  </skill>",
    );
    const noRead = await buildSystemPrompt(input({ skills, tools: [] }));
    expect(noRead).not.toContain("<available_skills>");
    expect(noRead).toContain("No tools are available in this run");
  });
});

describe("session kinds", () => {
  it("classifies keys as OpenClaw's bootstrap filter does", () => {
    expect(promptSessionKind("agent:main:main")).toBe("private");
    expect(promptSessionKind("agent:main:work", { mainKey: "work" })).toBe("private");
    expect(promptSessionKind("agent:main:slack:group:c1:thread:1")).toBe("shared");
    expect(promptSessionKind("agent:main:subagent:x")).toBe("subagent");
    expect(promptSessionKind("@alice/pi-main")).toBe("private");
    expect(promptSessionKind("global")).toBe("shared");
    expect(isMainSession("agent:main:whatsapp:direct:+15550001")).toBe(true);
    expect(isMainSession("agent:main:whatsapp:group:123@g.us")).toBe(false);
  });
});
