import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_READ_CHARS } from "./memory-read.js";
import { createMemoryTestWorkspace, type MemoryTestWorkspace } from "./memory-test-workspace.js";

let ws: MemoryTestWorkspace;
beforeEach(async () => {
  ws = await createMemoryTestWorkspace();
});
afterEach(() => ws.cleanup());

const numbered = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}`).join("\n");

describe("memory_get", () => {
  it("returns the requested line range, and the rest with a note when more remains", async () => {
    await ws.write("memory/2026-12-07.md", `${numbered(10)}\n`);
    expect(await ws.get({ path: "memory/2026-12-07.md", from: 3, lines: 2 })).toEqual({
      status: "ok",
      path: "memory/2026-12-07.md",
      text: "line 3\nline 4\n\n[More content available. Use from=5 to continue.]",
      from: 3,
      lines: 2,
      truncated: true,
      nextFrom: 5,
    });
    expect(await ws.get({ path: "memory/2026-12-07.md", from: 9 })).toEqual({
      status: "ok",
      path: "memory/2026-12-07.md",
      text: "line 9\nline 10",
      from: 9,
      lines: 2,
    });
  });

  it("reads 120 lines by default and MEMORY.md and USER.md at the root", async () => {
    await ws.write("MEMORY.md", numbered(200));
    const first = await ws.get({ path: "MEMORY.md" });
    expect(first).toMatchObject({ status: "ok", from: 1, lines: 120, truncated: true, nextFrom: 121 });
    await ws.write("USER.md", "Prefers short answers.\n");
    expect(await ws.get({ path: "./USER.md" })).toMatchObject({
      status: "ok",
      text: "Prefers short answers.",
    });
    expect(await ws.get({ path: path.join(ws.workspace, "USER.md") })).toMatchObject({ path: "USER.md" });
  });

  it("caps the characters returned and says where to continue", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `${i + 1}:${"x".repeat(998)}`).join("\n");
    await ws.write("memory/long.md", long);
    const result = await ws.get({ path: "memory/long.md", lines: 40 });
    const text = String(result.text);
    expect(result).toMatchObject({ status: "ok", truncated: true, lines: 11, nextFrom: 12 });
    expect(text.length).toBeLessThan(MAX_READ_CHARS + 100);
    expect(text).toContain("Use from=12 to continue.");

    await ws.write("memory/one-line.md", "y".repeat(MAX_READ_CHARS * 2));
    const cut = await ws.get({ path: "memory/one-line.md" });
    expect(cut).toMatchObject({ status: "ok", truncated: true, lines: 1 });
    expect(cut.nextFrom).toBeUndefined();
    expect(String(cut.text)).toContain("use read on memory/one-line.md");
  });

  it("answers not_found for a memory file that does not exist", async () => {
    expect(await ws.get({ path: "memory/nope.md" })).toEqual({
      status: "not_found",
      path: "memory/nope.md",
      text: "",
    });
  });

  it("refuses paths that leave the workspace", async () => {
    await writeFile(path.join(ws.outside, "secret.md"), "top secret\n");
    for (const leaving of [
      "../outside/secret.md",
      "memory/../../outside/secret.md",
      path.join(ws.outside, "secret.md"),
    ]) {
      const error = await ws.errorOf(ws.get({ path: leaving }));
      expect(error.code, leaving).toBe("PATH_OUTSIDE_WORKSPACE");
      expect(error.message).not.toContain("top secret");
    }
  });

  it("refuses a symlink that leads out of the workspace, file or folder", async () => {
    await writeFile(path.join(ws.outside, "secret.md"), "top secret\n");
    await mkdir(path.join(ws.workspace, "memory"));
    await symlink(path.join(ws.outside, "secret.md"), path.join(ws.workspace, "memory", "link.md"));
    await symlink(ws.outside, path.join(ws.workspace, "memory", "linked-dir"));
    expect((await ws.errorOf(ws.get({ path: "memory/link.md" }))).code).toBe("PATH_OUTSIDE_WORKSPACE");
    expect((await ws.errorOf(ws.get({ path: "memory/linked-dir/secret.md" }))).code).toBe(
      "PATH_OUTSIDE_WORKSPACE",
    );
  });

  it("refuses files that are not memory files, also when reached through a symlink", async () => {
    await ws.write("AGENTS.md", "agent rules\n");
    await ws.write("memory/notes.txt", "plain text\n");
    await symlink(path.join(ws.workspace, "AGENTS.md"), path.join(ws.workspace, "memory", "agents.md"));
    for (const refused of ["AGENTS.md", "memory/notes.txt", "memory/agents.md", "memory"]) {
      const error = await ws.errorOf(ws.get({ path: refused }));
      expect(error.code, refused).toBe("MEMORY_PATH_NOT_ALLOWED");
      expect(error.message).toContain("Use read for other files");
    }
  });

  it("refuses bad arguments and reports the wiki corpus as not registered", async () => {
    expect((await ws.errorOf(ws.get({ path: "MEMORY.md", from: 0 }))).code).toBe("INVALID_ARGUMENTS");
    expect((await ws.errorOf(ws.get({ path: "MEMORY.md", lines: -1 }))).code).toBe("INVALID_ARGUMENTS");
    expect((await ws.errorOf(ws.get({ path: "MEMORY.md", offset: 3 }))).code).toBe("INVALID_ARGUMENTS");
    expect(await ws.get({ path: "MEMORY.md", corpus: "wiki" })).toMatchObject({ status: "not_found" });
  });
});
