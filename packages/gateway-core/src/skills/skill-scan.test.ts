import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanSkills } from "./skill-scan.js";

let workspace: string;

beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), "skills-scan-"));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function writeSkill(relativeDir: string, frontMatter: string, root = workspace): Promise<void> {
  const dir = path.join(root, "skills", relativeDir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "SKILL.md"), `---\n${frontMatter}\n---\nInstructions.\n`);
}

const hostEnv = { PATH: process.env.PATH ?? "" };

describe("scanSkills", () => {
  it("reports a skill whose binaries and env are present as eligible", async () => {
    await writeSkill(
      "runner",
      'name: runner\ndescription: Runs node scripts\nmetadata: { "openclaw": { "requires": { "bins": ["node"], "env": ["RUNNER_TOKEN"] } } }',
    );
    const [skill] = await scanSkills({
      workspaceDirs: [workspace],
      env: { ...hostEnv, RUNNER_TOKEN: "x" },
      platform: process.platform,
    });
    expect(skill).toMatchObject({
      name: "runner",
      description: "Runs node scripts",
      eligible: true,
      missing: { bins: [], env: [], os: [] },
      requirements: { bins: ["node"], env: ["RUNNER_TOKEN"] },
    });
    expect(skill?.reason).toBeUndefined();
  });

  it("names the missing binary and env var with a reason", async () => {
    await writeSkill(
      "gem",
      [
        "name: gem",
        "description: Gemini",
        "metadata:",
        "  {",
        '    "openclaw":',
        "      {",
        '        "requires": { "bins": ["node", "definitely-not-a-real-binary-4711"], "env": ["GEM_KEY"] },',
        '        "install": [{ "id": "brew", "kind": "brew", "formula": "gem", "bins": ["gem"] }],',
        "      },",
        "  }",
      ].join("\n"),
    );
    const [skill] = await scanSkills({
      workspaceDirs: [workspace],
      env: hostEnv,
      platform: process.platform,
    });
    expect(skill?.eligible).toBe(false);
    expect(skill?.missing.bins).toEqual(["definitely-not-a-real-binary-4711"]);
    expect(skill?.missing.env).toEqual(["GEM_KEY"]);
    expect(skill?.reason).toContain("definitely-not-a-real-binary-4711");
    expect(skill?.reason).toContain("GEM_KEY");
    expect(skill?.install).toEqual([{ id: "brew", kind: "brew", bins: ["gem"] }]);
  });

  it("accepts env from skills.entries config and honours enabled: false", async () => {
    await writeSkill(
      "keyed",
      'name: keyed\ndescription: k\nmetadata: { "openclaw": { "primaryEnv": "KEYED_API_KEY", "requires": { "env": ["KEYED_API_KEY", "OTHER"], "config": ["browser.enabled"] } } }',
    );
    const config = {
      browser: { enabled: true },
      skills: { entries: { keyed: { apiKey: "secret", env: { OTHER: "1" } } } },
    };
    const [eligible] = await scanSkills({ workspaceDirs: [workspace], env: {}, platform: "linux", config });
    expect(eligible).toMatchObject({
      eligible: true,
      configChecks: [{ path: "browser.enabled", satisfied: true }],
    });

    const disabledConfig = {
      ...config,
      skills: { entries: { keyed: { ...config.skills.entries.keyed, enabled: false } } },
    };
    const [disabled] = await scanSkills({
      workspaceDirs: [workspace],
      env: {},
      platform: "linux",
      config: disabledConfig,
    });
    expect(disabled).toMatchObject({ eligible: false, disabled: true });
    expect(disabled?.reason).toContain("skills.entries.keyed.enabled");
  });

  it("gates on os even for always-on skills, and bypasses other gates with always", async () => {
    await writeSkill(
      "mac-only",
      'name: mac-only\ndescription: m\nmetadata: { "openclaw": { "always": true, "os": ["darwin"], "requires": { "bins": ["nope-nope"] } } }',
    );
    const [onLinux] = await scanSkills({ workspaceDirs: [workspace], env: {}, platform: "linux" });
    expect(onLinux).toMatchObject({ eligible: false, missing: { os: ["darwin"], bins: [] } });
    expect(onLinux?.reason).toContain("this host is linux");
    const [onMac] = await scanSkills({ workspaceDirs: [workspace], env: {}, platform: "darwin" });
    expect(onMac?.eligible).toBe(true);
  });

  it("uses an injected lookup and never treats a path as a command name", async () => {
    await writeSkill(
      "p",
      'name: p\ndescription: p\nmetadata: { "openclaw": { "requires": { "bins": ["tool", "/bin/sh"] } } }',
    );
    const asked: string[] = [];
    const [skill] = await scanSkills({
      workspaceDirs: [workspace],
      env: {},
      platform: "linux",
      which: async (bin) => {
        asked.push(bin);
        return bin === "tool";
      },
    });
    expect(asked).toEqual(["tool", "/bin/sh"]);
    expect(skill?.missing.bins).toEqual(["/bin/sh"]);

    const [viaPath] = await scanSkills({ workspaceDirs: [workspace], env: hostEnv, platform: "linux" });
    expect(viaPath?.missing.bins).toEqual(["tool", "/bin/sh"]);
  });

  it("reports malformed front matter without dropping the valid siblings", async () => {
    await writeSkill("broken", 'name: broken\nmetadata: { "openclaw": { requires: [ }');
    await mkdir(path.join(workspace, "skills", "no-fence"), { recursive: true });
    await writeFile(path.join(workspace, "skills", "no-fence", "SKILL.md"), "just text\n");
    await writeSkill("good", "name: good\ndescription: fine");
    const skills = await scanSkills({ workspaceDirs: [workspace], env: {}, platform: "linux" });
    const byName = new Map(skills.map((skill) => [skill.name, skill]));
    expect(byName.get("good")?.eligible).toBe(true);
    expect(byName.get("broken")).toMatchObject({ eligible: false });
    expect(byName.get("broken")?.error).toMatch(/metadata/);
    expect(byName.get("no-fence")?.reason).toMatch(/no front matter/);
  });

  it("falls back to single-line fields when YAML rejects the block", async () => {
    await writeSkill("colon", "name: colon\ndescription: Use it: carefully");
    const [skill] = await scanSkills({ workspaceDirs: [workspace], env: {}, platform: "linux" });
    expect(skill).toMatchObject({ name: "colon", description: "Use it: carefully", eligible: true });
  });

  it("finds grouped skills, lets the first workspace win, and ignores symlinks leaving the root", async () => {
    const second = await mkdtemp(path.join(os.tmpdir(), "skills-scan-second-"));
    const outside = await mkdtemp(path.join(os.tmpdir(), "skills-scan-outside-"));
    try {
      await writeSkill("group/research", "name: research\ndescription: first");
      await writeSkill("research", "name: research\ndescription: second", second);
      await writeSkill("escape", "name: escape\ndescription: outside", outside);
      await symlink(path.join(outside, "skills", "escape"), path.join(workspace, "skills", "escape"));
      const skills = await scanSkills({ workspaceDirs: [workspace, second], env: {}, platform: "linux" });
      expect(skills.map((skill) => [skill.name, skill.description])).toEqual([["research", "first"]]);
    } finally {
      await rm(second, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });
});
