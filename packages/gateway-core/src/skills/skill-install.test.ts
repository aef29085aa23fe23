import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SkillError } from "./skill-error.js";
import { installSkill, updateAllSkills, updateSkill } from "./skill-install.js";
import { readSkillOrigin } from "./skill-origin.js";
import { scanSkills } from "./skill-scan.js";

const execFileAsync = promisify(execFile);
let temp: string;
let workspace: string;

beforeEach(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), "skills-install-"));
  workspace = path.join(temp, "workspace");
  await mkdir(workspace);
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function makeSkillDir(
  name: string,
  description: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const dir = path.join(temp, `src-${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: ${description}\n---\nBody.\n`,
  );
  for (const [file, content] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

async function expectSkillError(promise: Promise<unknown>, code: string): Promise<SkillError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SkillError);
  expect((error as SkillError).code).toBe(code);
  return error as SkillError;
}

describe("installSkill from a local directory", () => {
  it("copies the folder under its front matter name and records the origin", async () => {
    const source = await makeSkillDir("notes", "Take notes", { "scripts/run.sh": "echo hi\n" });
    const result = await installSkill({ source, workspaceDir: workspace });
    expect(result).toMatchObject({
      ok: true,
      name: "notes",
      replaced: false,
      origin: { kind: "local", path: source },
    });
    expect(await readFile(path.join(workspace, "skills", "notes", "scripts", "run.sh"), "utf8")).toBe(
      "echo hi\n",
    );
    const [scanned] = await scanSkills({ workspaceDirs: [workspace], env: {}, platform: "linux" });
    expect(scanned).toMatchObject({ name: "notes", eligible: true, origin: { kind: "local" } });
  });

  it("refuses to overwrite without force, and refuses folders without SKILL.md or a name", async () => {
    const source = await makeSkillDir("dup", "d");
    await installSkill({ source, workspaceDir: workspace });
    await expectSkillError(installSkill({ source, workspaceDir: workspace }), "SKILL_EXISTS");
    expect((await installSkill({ source, workspaceDir: workspace, force: true })).replaced).toBe(true);

    const empty = path.join(temp, "empty");
    await mkdir(empty);
    await expectSkillError(
      installSkill({ source: empty, workspaceDir: workspace }),
      "SKILL_MANIFEST_MISSING",
    );

    const nameless = path.join(temp, "nameless");
    await mkdir(nameless);
    await writeFile(path.join(nameless, "SKILL.md"), "---\ndescription: no name\n---\n");
    await expectSkillError(installSkill({ source: nameless, workspaceDir: workspace }), "SKILL_NAME_INVALID");
    const traversal = path.join(temp, "traversal");
    await mkdir(traversal);
    await writeFile(path.join(traversal, "SKILL.md"), "---\nname: ../evil\ndescription: x\n---\n");
    await expectSkillError(
      installSkill({ source: traversal, workspaceDir: workspace }),
      "SKILL_NAME_INVALID",
    );
  });

  it("reports a missing local path as not found", async () => {
    await expectSkillError(
      installSkill({ source: path.join(temp, "nowhere"), workspaceDir: workspace }),
      "SKILL_SOURCE_NOT_FOUND",
    );
  });
});

describe("unsupported sources", () => {
  it.each([
    "https://example.com/skill.tgz",
    "git:owner/repo@main",
    "git+ssh://git@github.com/o/r.git",
    "github:owner/repo",
    "git@github.com:o/r.git",
    "clawhub:thing",
    "left-pad@github:o/r",
    "--registry=http://evil",
  ])("refuses %s and says what is supported", async (source) => {
    const error = await expectSkillError(
      installSkill({ source, workspaceDir: workspace }),
      "SKILL_SOURCE_UNSUPPORTED",
    );
    expect(error.message).toContain("local skill directory");
    expect(error.message).toContain("npm package spec");
  });
});

describe("installSkill from npm", () => {
  async function packTinyPackage(version: string, description: string): Promise<string> {
    const pkg = path.join(temp, `pkg-${version}`);
    await mkdir(pkg, { recursive: true });
    await writeFile(
      path.join(pkg, "package.json"),
      JSON.stringify({ name: "tiny-skill", version, files: ["SKILL.md", "bin"] }),
    );
    await writeFile(
      path.join(pkg, "SKILL.md"),
      `---\nname: tiny\ndescription: ${description}\n---\nUse tiny.\n`,
    );
    await mkdir(path.join(pkg, "bin"));
    await writeFile(path.join(pkg, "bin", "tool.sh"), "#!/bin/sh\necho tiny\n", { mode: 0o755 });
    const out = path.join(temp, "tarballs");
    await mkdir(out, { recursive: true });
    const { stdout } = await execFileAsync("npm", [
      "pack",
      pkg,
      "--pack-destination",
      out,
      "--json",
      "--ignore-scripts",
    ]);
    const [packed] = JSON.parse(stdout) as [{ filename: string }];
    return path.join(out, packed.filename);
  }

  it("packs, unpacks package/ into skills/<name> and updates from the recorded spec", async () => {
    const tarball = await packTinyPackage("1.0.0", "first");
    const result = await installSkill({ source: tarball, workspaceDir: workspace });
    expect(result).toMatchObject({
      name: "tiny",
      origin: { kind: "npm", spec: tarball, packageName: "tiny-skill", packageVersion: "1.0.0" },
    });
    const installed = path.join(workspace, "skills", "tiny");
    expect(await readFile(path.join(installed, "SKILL.md"), "utf8")).toContain("description: first");
    expect((await stat(path.join(installed, "bin", "tool.sh"))).mode & 0o111).not.toBe(0);
    expect(await stat(path.join(installed, "package.json")).then((info) => info.isFile())).toBe(true);

    // A new tarball at the same path stands in for a newer registry release.
    const newer = await packTinyPackage("1.0.1", "second");
    await rm(tarball);
    await execFileAsync("cp", [newer, tarball]);
    const updated = await updateSkill({ workspaceDir: workspace, name: "tiny" });
    expect(updated).toMatchObject({
      ok: true,
      name: "tiny",
      origin: { kind: "npm", packageVersion: "1.0.1" },
    });
    expect(await readFile(path.join(installed, "SKILL.md"), "utf8")).toContain("description: second");
  }, 60_000);

  it("reports npm failures with a clear error", async () => {
    const error = await expectSkillError(
      installSkill({
        source: "tiny-skill",
        workspaceDir: workspace,
        npmCommand: path.join(temp, "no-npm-here"),
      }),
      "SKILL_NPM_PACK_FAILED",
    );
    expect(error.message).toContain("npm pack tiny-skill failed");
  });
});

describe("updateSkill", () => {
  it("re-installs from the recorded local directory", async () => {
    const source = await makeSkillDir("memo", "v1");
    await installSkill({ source, workspaceDir: workspace });
    await writeFile(path.join(source, "SKILL.md"), "---\nname: memo\ndescription: v2\n---\n");
    await writeFile(path.join(workspace, "skills", "memo", "stale.txt"), "left over");

    const [result] = await updateAllSkills({ workspaceDir: workspace });
    expect(result).toMatchObject({ ok: true, name: "memo" });
    expect(await readFile(path.join(workspace, "skills", "memo", "SKILL.md"), "utf8")).toContain("v2");
    await expect(stat(path.join(workspace, "skills", "memo", "stale.txt"))).rejects.toThrow();
    expect(await readSkillOrigin(path.join(workspace, "skills", "memo"))).toMatchObject({
      kind: "local",
      path: source,
    });
  });

  it("explains skills it cannot update", async () => {
    await mkdir(path.join(workspace, "skills", "handmade"), { recursive: true });
    await writeFile(path.join(workspace, "skills", "handmade", "SKILL.md"), "---\nname: handmade\n---\n");
    expect(await updateSkill({ workspaceDir: workspace, name: "handmade" })).toMatchObject({
      ok: false,
      error: { code: "SKILL_ORIGIN_UNKNOWN" },
    });
    expect(await updateSkill({ workspaceDir: workspace, name: "absent" })).toMatchObject({
      ok: false,
      error: { code: "SKILL_NOT_INSTALLED" },
    });
    expect(await updateAllSkills({ workspaceDir: workspace })).toEqual([]);
  });
});
