import { mkdir, symlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestWorkspace, type TestWorkspace, toolErrorOf } from "./fs-test-workspace.js";
import { resolveWorkspacePath } from "./workspace-path.js";

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await createTestWorkspace();
});
afterEach(() => ws.cleanup());

const confined = { workspaceOnly: true };

describe("resolveWorkspacePath", () => {
  it("resolves relative paths against the workspace, existing or not", async () => {
    await writeFile(path.join(ws.workspace, "a.md"), "x");
    expect(await resolveWorkspacePath(ws.workspace, "a.md", confined)).toBe(path.join(ws.workspace, "a.md"));
    expect(await resolveWorkspacePath(ws.workspace, "new/dir/b.md", confined)).toBe(
      path.join(ws.workspace, "new/dir/b.md"),
    );
    expect(await resolveWorkspacePath(ws.workspace, path.join(ws.workspace, "c.md"), confined)).toBe(
      path.join(ws.workspace, "c.md"),
    );
  });

  it("refuses ../ traversal and absolute paths elsewhere, naming tools.fs.workspaceOnly", async () => {
    for (const input of ["../outside/x.md", "sub/../../x.md", path.join(ws.outside, "x.md"), "/etc/passwd"]) {
      const error = await toolErrorOf(resolveWorkspacePath(ws.workspace, input, confined));
      expect(error.code).toBe("PATH_OUTSIDE_WORKSPACE");
      expect(error.message).toContain("tools.fs.workspaceOnly");
    }
  });

  it("refuses a symlinked file and a symlinked folder that lead out, also for files not created yet", async () => {
    await writeFile(path.join(ws.outside, "secret.txt"), "s");
    await symlink(path.join(ws.outside, "secret.txt"), path.join(ws.workspace, "link.txt"));
    await symlink(ws.outside, path.join(ws.workspace, "out-dir"));
    for (const input of ["link.txt", "out-dir/secret.txt", "out-dir/new.txt", "out-dir/deeper/new.txt"]) {
      const error = await toolErrorOf(resolveWorkspacePath(ws.workspace, input, confined));
      expect(error.code).toBe("PATH_OUTSIDE_WORKSPACE");
      expect(error.message).toContain("symbolic link");
    }
  });

  it("follows a dangling symlink to where a write would land", async () => {
    await symlink(path.join(ws.outside, "not-yet.txt"), path.join(ws.workspace, "dangling.txt"));
    await symlink("inside-target.txt", path.join(ws.workspace, "dangling-inside.txt"));
    const error = await toolErrorOf(resolveWorkspacePath(ws.workspace, "dangling.txt", confined));
    expect(error.code).toBe("PATH_OUTSIDE_WORKSPACE");
    expect(await resolveWorkspacePath(ws.workspace, "dangling-inside.txt", confined)).toBe(
      path.join(ws.workspace, "inside-target.txt"),
    );
  });

  it("allows symlinks that stay inside, answering with the real location", async () => {
    await mkdir(path.join(ws.workspace, "real"));
    await symlink(path.join(ws.workspace, "real"), path.join(ws.workspace, "alias"));
    expect(await resolveWorkspacePath(ws.workspace, "alias/f.md", confined)).toBe(
      path.join(ws.workspace, "real/f.md"),
    );
  });

  it("keeps a final symlink itself when asked (deleting the link, not its target)", async () => {
    await symlink(path.join(ws.outside, "x"), path.join(ws.workspace, "link"));
    expect(await resolveWorkspacePath(ws.workspace, "link", { ...confined, keepFinalSymlink: true })).toBe(
      path.join(ws.workspace, "link"),
    );
  });

  it("accepts a workspace reached through a symlink, by either name", async () => {
    const alias = path.join(path.dirname(ws.workspace), "ws-alias");
    await symlink(ws.workspace, alias);
    expect(await resolveWorkspacePath(alias, "a.md", confined)).toBe(path.join(ws.workspace, "a.md"));
    expect(await resolveWorkspacePath(alias, path.join(ws.workspace, "a.md"), confined)).toBe(
      path.join(ws.workspace, "a.md"),
    );
  });

  it("refuses ~ while confined and expands it to the home folder otherwise", async () => {
    const error = await toolErrorOf(resolveWorkspacePath(ws.workspace, "~/notes.md", confined));
    expect(error.code).toBe("PATH_OUTSIDE_WORKSPACE");
    expect(await resolveWorkspacePath(ws.workspace, "~/notes.md", { workspaceOnly: false })).toBe(
      path.join(homedir(), "notes.md"),
    );
    expect(await resolveWorkspacePath(ws.workspace, "./~/notes.md", confined)).toBe(
      path.join(ws.workspace, "~/notes.md"),
    );
  });

  it("allows any path when workspaceOnly is false", async () => {
    expect(await resolveWorkspacePath(ws.workspace, "../outside/x.md", { workspaceOnly: false })).toBe(
      path.join(ws.outside, "x.md"),
    );
  });

  it("allows extra roots while confined", async () => {
    const file = path.join(ws.outside, "SKILL.md");
    expect(await resolveWorkspacePath(ws.workspace, file, { ...confined, extraRoots: [ws.outside] })).toBe(
      file,
    );
  });

  it("refuses empty paths and NUL bytes as invalid arguments", async () => {
    expect((await toolErrorOf(resolveWorkspacePath(ws.workspace, " ", confined))).code).toBe(
      "INVALID_ARGUMENTS",
    );
    expect((await toolErrorOf(resolveWorkspacePath(ws.workspace, "a\0b", confined))).code).toBe(
      "INVALID_ARGUMENTS",
    );
  });
});
