import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WRITE_MAX_BYTES } from "./fs-limits.js";
import { createTestWorkspace, type TestWorkspace, toolContext, toolErrorOf } from "./fs-test-workspace.js";
import { createWriteTool } from "./write-tool.js";

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await createTestWorkspace();
});
afterEach(() => ws.cleanup());

const write = (args: Record<string, unknown>) => createWriteTool(ws.options).execute(args, toolContext());

const writeError = (args: Record<string, unknown>) => toolErrorOf(write(args));

describe("write", () => {
  it("creates a file and its parent folders, then says whether later writes changed it", async () => {
    expect(await write({ path: "notes/2026/today.md", content: "hello" })).toEqual({
      changed: true,
      created: true,
      path: "notes/2026/today.md",
      bytes: 5,
    });
    expect(await readFile(path.join(ws.workspace, "notes/2026/today.md"), "utf8")).toBe("hello");
    expect(await write({ path: "notes/2026/today.md", content: "hello world" })).toMatchObject({
      changed: true,
      created: false,
    });
    expect(await write({ path: "notes/2026/today.md", content: "hello world" })).toMatchObject({
      changed: false,
    });
  });

  it("replaces atomically: no temporary file is left and the file keeps its mode", async () => {
    const file = path.join(ws.workspace, "script.sh");
    await writeFile(file, "old");
    await chmod(file, 0o750);
    await write({ path: "script.sh", content: "new" });
    expect(await readFile(file, "utf8")).toBe("new");
    expect((await stat(file)).mode & 0o777).toBe(0o750);
    expect(await readdir(ws.workspace)).toEqual(["script.sh"]);
  });

  it("writes through a symlink that stays inside, keeping the link", async () => {
    await mkdir(path.join(ws.workspace, "real"));
    await writeFile(path.join(ws.workspace, "real/f.md"), "a");
    await symlink("real/f.md", path.join(ws.workspace, "alias.md"));
    await write({ path: "alias.md", content: "b" });
    expect(await readFile(path.join(ws.workspace, "real/f.md"), "utf8")).toBe("b");
    expect((await lstat(path.join(ws.workspace, "alias.md"))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(ws.workspace, "alias.md"))).toBe("real/f.md");
  });

  it("refuses paths outside the workspace and symlinks leading out, creating nothing there", async () => {
    await symlink(ws.outside, path.join(ws.workspace, "out"));
    await writeFile(path.join(ws.outside, "target.txt"), "untouched");
    await symlink(path.join(ws.outside, "target.txt"), path.join(ws.workspace, "link.txt"));
    for (const target of [
      "../outside/new.txt",
      path.join(ws.outside, "new.txt"),
      "out/new.txt",
      "out/sub/new.txt",
      "link.txt",
    ]) {
      const error = await writeError({ path: target, content: "x" });
      expect(error.code).toBe("PATH_OUTSIDE_WORKSPACE");
      expect(error.message).toContain("tools.fs.workspaceOnly");
    }
    expect((await readdir(ws.outside)).sort()).toEqual(["target.txt"]);
    expect(await readFile(path.join(ws.outside, "target.txt"), "utf8")).toBe("untouched");
  });

  it("writes outside once workspaceOnly is false, read at each call", async () => {
    expect((await writeError({ path: "../outside/a.txt", content: "x" })).code).toBe(
      "PATH_OUTSIDE_WORKSPACE",
    );
    ws.policy.workspaceOnly = false;
    await write({ path: "../outside/a.txt", content: "x" });
    expect(await readFile(path.join(ws.outside, "a.txt"), "utf8")).toBe("x");
  });

  it("refuses content over the size cap and a directory as target", async () => {
    const error = await writeError({ path: "big.txt", content: "a".repeat(WRITE_MAX_BYTES + 1) });
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toContain("5 MB");
    await mkdir(path.join(ws.workspace, "dir"));
    expect((await writeError({ path: "dir", content: "x" })).message).toContain("is a directory");
  });

  it("serialises parallel writes to one file so each lands whole", async () => {
    const tool = createWriteTool(ws.options);
    const contents = ["first ".repeat(1000), "second ".repeat(1000), "third ".repeat(1000)];
    await Promise.all(contents.map((content) => tool.execute({ path: "race.txt", content }, toolContext())));
    expect(contents).toContain(await readFile(path.join(ws.workspace, "race.txt"), "utf8"));
    expect(await readdir(ws.workspace)).toEqual(["race.txt"]);
  });
});
