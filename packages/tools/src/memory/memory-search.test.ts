import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_INDEXED_FILE_BYTES } from "./memory-index.js";
import { createMemoryTestWorkspace, type MemoryTestWorkspace } from "./memory-test-workspace.js";

let ws: MemoryTestWorkspace;
beforeEach(async () => {
  ws = await createMemoryTestWorkspace();
});
afterEach(() => ws.cleanup());

const DAILY_NOTE = [
  "# 2026-12-07", // 1
  "", // 2
  "## Groceries", // 3
  "Buy oat milk and sourdough bread.", // 4
  "", // 5
  "## Travel", // 6
  "Booked the ferry to Helsinki for Friday morning.", // 7
  "Cabin number 4512, breakfast included.", // 8
  "", // 9
].join("\n");

const paths = (outcome: { results: { path: string }[] }) => outcome.results.map((result) => result.path);

describe("memory_search", () => {
  it("finds a note written to memory/ by one of its words, with its path and line range", async () => {
    await ws.write("memory/2026-12-07.md", DAILY_NOTE);
    const outcome = await ws.search({ query: "Helsinki" });
    expect(outcome.mode).toBe("fts-only");
    expect(outcome.provider).toBe("none");
    expect(outcome.results[0]).toMatchObject({
      path: "memory/2026-12-07.md",
      startLine: 6,
      endLine: 8,
      source: "memory",
      citation: "memory/2026-12-07.md#L6-L8",
    });
    expect(outcome.results[0]?.snippet).toContain("ferry to Helsinki");
    expect(outcome.results[0]?.score).toBeGreaterThan(0);
    expect(outcome.results.some((result) => result.snippet.includes("oat milk"))).toBe(false);
  });

  it("matches a misspelt word and a word prefix", async () => {
    await ws.write("memory/2026-12-07.md", DAILY_NOTE);
    for (const query of ["Helsinky", "Helsin", "sourdoug"]) {
      const outcome = await ws.search({ query });
      expect(outcome.results[0]?.path, query).toBe("memory/2026-12-07.md");
    }
    expect((await ws.search({ query: "Helsin" })).results[0]?.startLine).toBe(6);
    expect((await ws.search({ query: "sourdoug" })).results[0]?.startLine).toBe(1);
  });

  it("finds a file written a moment after the previous search, re-reading only that file", async () => {
    await ws.write("MEMORY.md", "# Memory\n\nThe user prefers TypeScript over JavaScript.\n");
    await ws.write("memory/2026-12-06.md", "Called the plumber about the kitchen sink.\n");
    const first = await ws.search({ query: "TypeScript" });
    expect(paths(first)).toEqual(["MEMORY.md"]);
    expect(first.debug).toMatchObject({ files: 2, filesReindexed: 2 });

    await ws.write("memory/2026-12-07.md", "Remember: the quarterly report is due on Tuesday.\n");
    const second = await ws.search({ query: "quarterly report" });
    expect(paths(second)).toEqual(["memory/2026-12-07.md"]);
    expect(second.debug).toMatchObject({ files: 3, filesReindexed: 1, filesRemoved: 0 });
  });

  it("re-indexes only the edited file, and its old words stop matching", async () => {
    await ws.write("memory/a.md", "Alpha note about penguins.\n");
    await ws.write("memory/b.md", "Beta note about walruses.\n");
    await ws.write("memory/c.md", "Gamma note about narwhals.\n");
    expect(paths(await ws.search({ query: "walruses" }))).toEqual(["memory/b.md"]);

    await ws.write("memory/b.md", "Beta note, rewritten: now about flamingos instead.\n");
    const edited = await ws.search({ query: "flamingos" });
    expect(paths(edited)).toEqual(["memory/b.md"]);
    expect(edited.debug).toMatchObject({ files: 3, filesReindexed: 1, filesRemoved: 0 });
    expect((await ws.search({ query: "walruses" })).results).toEqual([]);

    const unchanged = await ws.search({ query: "penguins" });
    expect(unchanged.debug.filesReindexed).toBe(0);
  });

  it("forgets a deleted file", async () => {
    await ws.write("memory/keep.md", "Keep this note about lighthouses.\n");
    const gone = await ws.write("memory/gone.md", "This note about lighthouses will be deleted.\n");
    expect(paths(await ws.search({ query: "lighthouses" })).sort()).toEqual([
      "memory/gone.md",
      "memory/keep.md",
    ]);
    await rm(gone);
    const after = await ws.search({ query: "lighthouses" });
    expect(paths(after)).toEqual(["memory/keep.md"]);
    expect(after.debug).toMatchObject({ files: 1, filesRemoved: 1, filesReindexed: 0 });
  });

  it("indexes MEMORY.md, USER.md and nested memory/ notes, but not other files or symlinks", async () => {
    await ws.write("MEMORY.md", "zebra in MEMORY\n");
    await ws.write("USER.md", "zebra in USER\n");
    await ws.write("memory/projects/deep/plan.md", "zebra in a nested note\n");
    await ws.write("AGENTS.md", "zebra in AGENTS\n");
    await ws.write("memory/notes.txt", "zebra in a text file\n");
    await ws.write("memory.md", "zebra in the legacy lowercase file\n");
    await writeFile(path.join(ws.outside, "secret.md"), "zebra outside the workspace\n");
    await symlink(path.join(ws.outside, "secret.md"), path.join(ws.workspace, "memory", "link.md"));
    await mkdir(path.join(ws.outside, "dir"));
    await writeFile(path.join(ws.outside, "dir", "x.md"), "zebra in a linked folder\n");
    await symlink(path.join(ws.outside, "dir"), path.join(ws.workspace, "memory", "linked-dir"));

    const outcome = await ws.search({ query: "zebra", maxResults: 20 });
    expect(paths(outcome).sort()).toEqual(["MEMORY.md", "USER.md", "memory/projects/deep/plan.md"]);
  });

  it("ignores a memory/ folder that is a symlink", async () => {
    await mkdir(path.join(ws.outside, "memory"));
    await writeFile(path.join(ws.outside, "memory", "x.md"), "okapi outside\n");
    await symlink(path.join(ws.outside, "memory"), path.join(ws.workspace, "memory"));
    expect((await ws.search({ query: "okapi" })).results).toEqual([]);
  });

  it("honours maxResults and says when a file is too large to index whole", async () => {
    const big = `${"filler line about nothing much\n".repeat(Math.ceil(MAX_INDEXED_FILE_BYTES / 31) + 10)}capybara at the very end\n`;
    await ws.write("memory/huge.md", big);
    await ws.write(
      "memory/many.md",
      Array.from({ length: 10 }, (_, i) => `## Part ${i}\nwombat ${i}\n`).join("\n"),
    );
    const outcome = await ws.search({ query: "wombat", maxResults: 3 });
    expect(outcome.results).toHaveLength(3);
    expect(outcome.warning).toContain("memory/huge.md");
    expect((await ws.search({ query: "capybara" })).results).toEqual([]);
  });

  it("keeps keyword matches below minScore only when nothing reaches it", async () => {
    await ws.write("memory/a.md", "The heron stood in the shallow pond.\n");
    const strict = await ws.search({ query: "heron", minScore: 1 });
    expect(paths(strict)).toEqual(["memory/a.md"]);
  });

  it("answers an empty result when the workspace does not exist yet", async () => {
    const missing = await createMemoryTestWorkspace({
      workspaceFor: () => "/nonexistent/openclaw-workspace",
    });
    try {
      const outcome = await missing.search({ query: "anything" });
      expect(outcome.results).toEqual([]);
      expect(outcome.warning).toContain("does not exist yet");
    } finally {
      await missing.cleanup();
    }
  });

  it("reports the wiki and session corpora as unavailable instead of searching something else", async () => {
    await ws.write("memory/a.md", "ibis\n");
    expect(await ws.search({ query: "ibis", corpus: "sessions" })).toMatchObject({
      results: [],
      unavailable: true,
    });
    expect(await ws.search({ query: "ibis", corpus: "wiki" })).toMatchObject({
      results: [],
      unavailable: true,
    });
    const all = await ws.search({ query: "ibis", corpus: "all" });
    expect(paths(all)).toEqual(["memory/a.md"]);
    expect(all.warning).toContain("No wiki corpus");
  });

  it("refuses bad arguments and a disabled memory search", async () => {
    expect((await ws.errorOf(ws.search({ query: "" }))).code).toBe("INVALID_ARGUMENTS");
    expect((await ws.errorOf(ws.search({ query: "x", maxResults: 0 }))).code).toBe("INVALID_ARGUMENTS");
    expect((await ws.errorOf(ws.search({ query: "x", limit: 3 }))).code).toBe("INVALID_ARGUMENTS");
    expect((await ws.errorOf(ws.search({ query: "x".repeat(2001) }))).code).toBe("INVALID_ARGUMENTS");
    ws.config = { enabled: false };
    const disabled = await ws.errorOf(ws.search({ query: "x" }));
    expect(disabled.code).toBe("NOT_CONFIGURED");
    expect(disabled.message).toContain("memorySearch.enabled");
  });

  it("names configuration it cannot honour in the result", async () => {
    await ws.write("memory/a.md", "tapir\n");
    ws.config = { provider: "gemini", extraPaths: ["../shared"] };
    const outcome = await ws.search({ query: "tapir" });
    expect(paths(outcome)).toEqual(["memory/a.md"]);
    expect(outcome.mode).toBe("fts-only");
    expect(outcome.warning).toContain('provider "gemini" is not supported');
    expect(outcome.warning).toContain("extraPaths");
  });

  it("keeps a bounded number of workspace indexes and rebuilds a dropped one from its files", async () => {
    const second = await createMemoryTestWorkspace();
    let current = ws.workspace;
    const shared = await createMemoryTestWorkspace({ maxWorkspaces: 1, workspaceFor: () => current });
    try {
      await ws.write("memory/a.md", "koala in the first workspace\n");
      await second.write("memory/b.md", "koala in the second workspace\n");
      expect((await shared.search({ query: "koala" })).debug.filesReindexed).toBe(1);
      expect((await shared.search({ query: "koala" })).debug.filesReindexed).toBe(0);
      current = second.workspace;
      expect(paths(await shared.search({ query: "koala" }))).toEqual(["memory/b.md"]);
      current = ws.workspace;
      const again = await shared.search({ query: "koala" });
      expect(paths(again)).toEqual(["memory/a.md"]);
      expect(again.debug.filesReindexed).toBe(1);
    } finally {
      await second.cleanup();
      await shared.cleanup();
    }
  });
});
