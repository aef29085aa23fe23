import { lstat, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApplyPatchTool } from "./apply-patch-tool.js";
import { createTestWorkspace, type TestWorkspace, toolContext, toolErrorOf } from "./fs-test-workspace.js";

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await createTestWorkspace();
});
afterEach(() => ws.cleanup());

const patch = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
const apply = (input: string) => createApplyPatchTool(ws.options).execute({ input }, toolContext());
const file = (name: string) => path.join(ws.workspace, name);
const text = (name: string) => readFile(file(name), "utf8");

const applyError = (input: string) => toolErrorOf(apply(input));

/** Every file under the workspace with its content, to prove a failed patch changed nothing. */
async function snapshot(dir = ws.workspace): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const key = path.relative(dir, full);
    result[key] = entry.isFile() ? await readFile(full, "utf8") : `<${entry.isDirectory() ? "dir" : "link"}>`;
  }
  return result;
}

describe("apply_patch", () => {
  it("adds, updates, moves and deletes files in one patch", async () => {
    await writeFile(file("app.ts"), "import a\n\nconst foo = 1\nconst bar = 2\n");
    await writeFile(file("old-name.ts"), "export const x = 1\n");
    await writeFile(file("obsolete.txt"), "bye\n");
    const result = await apply(
      patch(
        "*** Add File: src/new.txt",
        "+line 1",
        "+line 2",
        "*** Update File: app.ts",
        "@@ import a",
        " ",
        "-const foo = 1",
        "+const foo = 3",
        " const bar = 2",
        "*** Update File: old-name.ts",
        "*** Move to: lib/new-name.ts",
        "@@",
        "-export const x = 1",
        "+export const x = 2",
        "*** Delete File: obsolete.txt",
      ),
    );
    expect(result).toEqual({
      summary: { added: ["src/new.txt"], modified: ["app.ts", "lib/new-name.ts"], deleted: ["obsolete.txt"] },
    });
    expect(await snapshot()).toEqual({
      "app.ts": "import a\n\nconst foo = 3\nconst bar = 2\n",
      lib: "<dir>",
      "lib/new-name.ts": "export const x = 2\n",
      src: "<dir>",
      "src/new.txt": "line 1\nline 2\n",
    });
  });

  it("appends at the end of a file with *** End of File and keeps CRLF", async () => {
    await writeFile(file("tail.txt"), "a\r\nb\r\n");
    await apply(patch("*** Update File: tail.txt", "@@", " b", "+c", "*** End of File"));
    expect(await text("tail.txt")).toBe("a\r\nb\r\nc\r\n");
  });

  it("matches context despite trailing spaces and typographic quotes, keeping the file's own lines", async () => {
    await writeFile(file("q.md"), "Say “hi”   \nold\n");
    await apply(patch("*** Update File: q.md", "@@", ' Say "hi"', "-old", "+new"));
    expect(await text("q.md")).toBe("Say “hi”   \nnew\n");
  });

  it("writes nothing when a later hunk fails, naming the file and hunk", async () => {
    await writeFile(file("a.txt"), "one\ntwo\n");
    await writeFile(file("b.txt"), "alpha\nbeta\n");
    const before = await snapshot();
    const error = await applyError(
      patch(
        "*** Add File: created.txt",
        "+x",
        "*** Update File: a.txt",
        "@@",
        "-one",
        "+ONE",
        "*** Update File: b.txt",
        "@@",
        " alpha",
        "-beta",
        "+BETA",
        "@@",
        "-gamma",
        "+GAMMA",
        "*** Delete File: a.txt",
      ),
    );
    expect(error.code).toBe("PATCH_FAILED");
    expect(error.message).toContain(
      "Update File b.txt, hunk 2: these lines were not found in the file:\ngamma",
    );
    expect(error.message).toContain("Nothing was changed");
    expect(await snapshot()).toEqual(before);
  });

  it("rolls back staged files when a write fails midway", async () => {
    await writeFile(file("a.txt"), "one\n");
    await writeFile(file("blocker"), "a file where a folder is needed\n");
    const before = await snapshot();
    const error = await applyError(
      patch(
        "*** Update File: a.txt",
        "@@",
        "-one",
        "+two",
        "*** Add File: new-dir/x.txt",
        "+x",
        "*** Add File: blocker/y.txt",
        "+y",
      ),
    );
    expect(error.code).toBe("PATCH_FAILED");
    expect(error.message).toContain("nothing was changed");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses ambiguous hunks and adds over existing files", async () => {
    await writeFile(file("dup.txt"), "x\ny\nx\ny\n");
    const ambiguous = await applyError(patch("*** Update File: dup.txt", "@@", " x", "-y", "+z"));
    expect(ambiguous.message).toContain("Update File dup.txt, hunk 1: these lines occur 2 times");
    const exists = await applyError(patch("*** Add File: dup.txt", "+new"));
    expect(exists.message).toContain("Add File dup.txt: the file already exists");
    expect(await text("dup.txt")).toBe("x\ny\nx\ny\n");
  });

  it("replaces a file deleted earlier in the same patch", async () => {
    await writeFile(file("r.txt"), "old\n");
    expect(await apply(patch("*** Delete File: r.txt", "*** Add File: r.txt", "+new"))).toEqual({
      summary: { added: ["r.txt"], modified: [], deleted: ["r.txt"] },
    });
    expect(await text("r.txt")).toBe("new\n");
  });

  it("reports an update that changes nothing as unchanged", async () => {
    await writeFile(file("same.txt"), "a\n");
    expect(await apply(patch("*** Update File: same.txt", "@@", "-a", "+a"))).toEqual({
      summary: { added: [], modified: [], deleted: [] },
      unchanged: ["same.txt"],
    });
  });

  it("refuses every path leaving the workspace before touching anything", async () => {
    await writeFile(file("a.txt"), "one\n");
    await symlink(ws.outside, file("out"));
    await writeFile(path.join(ws.outside, "target.txt"), "t\n");
    for (const target of ["../outside/x.txt", path.join(ws.outside, "x.txt"), "out/x.txt"]) {
      const error = await applyError(
        patch("*** Update File: a.txt", "@@", "-one", "+two", `*** Add File: ${target}`, "+x"),
      );
      expect(error.code).toBe("PATH_OUTSIDE_WORKSPACE");
    }
    const moveOut = await applyError(
      patch("*** Update File: a.txt", "*** Move to: ../outside/moved.txt", "@@", "-one", "+two"),
    );
    expect(moveOut.code).toBe("PATH_OUTSIDE_WORKSPACE");
    expect(await text("a.txt")).toBe("one\n");
    expect((await readdir(ws.outside)).sort()).toEqual(["target.txt"]);
  });

  it("deletes a symlink itself, never what it points at", async () => {
    await writeFile(path.join(ws.outside, "target.txt"), "t\n");
    await symlink(path.join(ws.outside, "target.txt"), file("link.txt"));
    await apply(patch("*** Delete File: link.txt"));
    await expect(lstat(file("link.txt"))).rejects.toThrow();
    expect(await readFile(path.join(ws.outside, "target.txt"), "utf8")).toBe("t\n");
  });

  it("allows outside paths once workspaceOnly is false", async () => {
    ws.policy.workspaceOnly = false;
    await apply(patch("*** Add File: ../outside/free.txt", "+ok"));
    expect(await readFile(path.join(ws.outside, "free.txt"), "utf8")).toBe("ok\n");
  });

  it("explains malformed patches with the line", async () => {
    expect((await applyError("*** Update File: a.txt\n*** End Patch")).message).toContain(
      "first line must be '*** Begin Patch'",
    );
    expect((await applyError("*** Begin Patch\n*** Add File: a.txt\n+x")).message).toContain(
      "last line must be '*** End Patch'",
    );
    const badHeader = await applyError(patch("*** Rename File: a.txt"));
    expect(badHeader.message).toContain(
      "Invalid patch at line 2: '*** Rename File: a.txt' is not a file operation",
    );
    await mkdir(file("d"));
    await writeFile(file("d/f.txt"), "a\n");
    const badLine = await applyError(patch("*** Update File: d/f.txt", "@@", " a", "oops"));
    expect(badLine.message).toContain("Invalid patch at line 5");
    expect((await applyError(patch("*** Update File: d/f.txt"))).message).toContain("has no @@ hunk");
    expect(await applyError(patch("*** Update File: nope.txt", "@@", "-a", "+b"))).toMatchObject({
      message: expect.stringContaining("Update File nope.txt: no such file; use Add File"),
    });
  });

  it("accepts a patch wrapped in a heredoc and a unified-diff @@ header", async () => {
    await writeFile(file("h.txt"), "one\ntwo\n");
    await apply(
      ["<<'EOF'", patch("*** Update File: h.txt", "@@ -1,2 +1,2 @@", " one", "-two", "+2"), "EOF"].join("\n"),
    );
    expect(await text("h.txt")).toBe("one\n2\n");
  });
});
