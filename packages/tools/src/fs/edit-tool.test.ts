import { readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEditTool } from "./edit-tool.js";
import { createTestWorkspace, type TestWorkspace, toolContext, toolErrorOf } from "./fs-test-workspace.js";

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await createTestWorkspace();
});
afterEach(() => ws.cleanup());

const edit = (args: Record<string, unknown>) => createEditTool(ws.options).execute(args, toolContext());
const file = (name: string) => path.join(ws.workspace, name);

const editError = (args: Record<string, unknown>) => toolErrorOf(edit(args));

const source = "function greet() {\n  return 'hi';\n}\n\nfunction part() {\n  return 'bye';\n}\n";

describe("edit", () => {
  it("replaces exact text and reports a short diff", async () => {
    await writeFile(file("a.js"), source);
    const result = await edit({
      path: "a.js",
      edits: [{ oldText: "return 'bye';", newText: "return 'see you';" }],
    });
    expect(result).toEqual({
      changed: true,
      path: "a.js",
      replaced: 1,
      firstChangedLine: 6,
      diff: "@@ line 6 @@\n-return 'bye';\n+return 'see you';",
    });
    expect(await readFile(file("a.js"), "utf8")).toBe(source.replace("'bye'", "'see you'"));
  });

  it("locates several edits in the original, and takes top-level oldText/newText as OpenClaw does", async () => {
    await writeFile(file("a.js"), source);
    await edit({
      path: "a.js",
      edits: [
        { oldText: "greet", newText: "part" },
        { oldText: "function part", newText: "function greet" },
      ],
      oldText: "'hi'",
      newText: "'hello'",
    });
    expect(await readFile(file("a.js"), "utf8")).toBe(
      "function part() {\n  return 'hello';\n}\n\nfunction greet() {\n  return 'bye';\n}\n",
    );
  });

  it("fails clearly when oldText is missing, pointing at the closest line, and leaves the file alone", async () => {
    await writeFile(file("a.js"), source);
    const error = await editError({
      path: "a.js",
      edits: [
        { oldText: "greet", newText: "x" },
        { oldText: "return 'bye' ;", newText: "y" },
      ],
    });
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain("edits[1].oldText was not found in a.js");
    expect(error.message).toContain("Closest line 6: return 'bye';");
    expect(await readFile(file("a.js"), "utf8")).toBe(source);
  });

  it("fails when oldText is not unique, with the count and lines", async () => {
    await writeFile(file("a.js"), source);
    const error = await editError({ path: "a.js", edits: [{ oldText: "function", newText: "fn" }] });
    expect(error.code).toBe("NOT_UNIQUE");
    expect(error.message).toContain("matches 2 places in a.js (lines 1, 5)");
  });

  it("refuses empty oldText, overlapping edits and a half-given pair", async () => {
    await writeFile(file("a.js"), source);
    expect((await editError({ path: "a.js", edits: [{ oldText: "", newText: "x" }] })).message).toContain(
      "oldText is empty",
    );
    const overlap = await editError({
      path: "a.js",
      edits: [
        { oldText: "function greet()", newText: "a" },
        { oldText: "greet() {", newText: "b" },
      ],
    });
    expect(overlap.message).toContain("edits[0] and edits[1] overlap");
    expect((await editError({ path: "a.js", oldText: "x" })).code).toBe("INVALID_ARGUMENTS");
    expect((await editError({ path: "a.js", edits: [] })).code).toBe("INVALID_ARGUMENTS");
  });

  it("keeps CRLF line ends and a BOM", async () => {
    await writeFile(file("win.txt"), "\uFEFFone\r\ntwo\r\nthree\r\n");
    await edit({ path: "win.txt", edits: [{ oldText: "one\ntwo", newText: "1\r\n2\n2b" }] });
    expect(await readFile(file("win.txt"), "utf8")).toBe("\uFEFF1\r\n2\r\n2b\r\nthree\r\n");
  });

  it("answers changed: false when nothing changes", async () => {
    await writeFile(file("a.js"), source);
    expect(await edit({ path: "a.js", edits: [{ oldText: "greet", newText: "greet" }] })).toMatchObject({
      changed: false,
    });
  });

  it("refuses a missing file, paths outside, and symlinks leading out", async () => {
    expect((await editError({ path: "nope.js", edits: [{ oldText: "a", newText: "b" }] })).message).toContain(
      "Use write to create a new file",
    );
    await writeFile(path.join(ws.outside, "x.js"), "a");
    await symlink(path.join(ws.outside, "x.js"), file("link.js"));
    for (const target of ["../outside/x.js", "link.js"]) {
      expect((await editError({ path: target, edits: [{ oldText: "a", newText: "b" }] })).code).toBe(
        "PATH_OUTSIDE_WORKSPACE",
      );
    }
    expect(await readFile(path.join(ws.outside, "x.js"), "utf8")).toBe("a");
  });
});
