import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tinyPng } from "../media/png-fixture.js";
import { READ_MAX_BYTES, READ_MAX_LINES } from "./fs-limits.js";
import { createTestWorkspace, type TestWorkspace, toolContext, toolErrorOf } from "./fs-test-workspace.js";
import { createReadTool, type ReadResult } from "./read-tool.js";

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await createTestWorkspace();
});
afterEach(() => ws.cleanup());

async function read(args: Record<string, unknown>): Promise<ReadResult> {
  return (await createReadTool(ws.options).execute(args, toolContext())) as ReadResult;
}

const readError = (args: Record<string, unknown>) => toolErrorOf(read(args));

function modelText(result: ReadResult): string {
  const output = createReadTool(ws.options).toModelOutput?.(result);
  if (output?.type !== "text") throw new Error(`expected text output, got ${output?.type}`);
  return output.value;
}

const numbered = (count: number, width = 0) =>
  Array.from({ length: count }, (_, i) => `line ${i + 1}`.padEnd(width, "x")).join("\n");

describe("read", () => {
  it("returns a small text file whole, CRLF turned into LF", async () => {
    await writeFile(path.join(ws.workspace, "notes.md"), "one\r\ntwo\r\n");
    const result = await read({ path: "notes.md" });
    expect(result).toEqual({ kind: "text", path: "notes.md", content: "one\ntwo" });
    expect(modelText(result)).toBe("one\ntwo");
  });

  it("reads a line range and says how to continue", async () => {
    await writeFile(path.join(ws.workspace, "f.txt"), numbered(10));
    const result = await read({ path: "f.txt", offset: 3, limit: 2 });
    expect(result).toMatchObject({
      kind: "truncated",
      content: "line 3\nline 4",
      continuation: { offset: 5, limit: 2 },
    });
    expect(modelText(result)).toContain("[6 more lines in the file. Use offset=5 to continue.]");
    expect(await read({ path: "f.txt", offset: 9 })).toMatchObject({
      kind: "text",
      content: "line 9\nline 10",
    });
  });

  it(`caps a page at ${READ_MAX_LINES} lines with a visible note`, async () => {
    await writeFile(path.join(ws.workspace, "long.txt"), numbered(READ_MAX_LINES + 500));
    const result = await read({ path: "long.txt" });
    if (result.kind !== "truncated") throw new Error("expected truncation");
    expect(result.content.split("\n")).toHaveLength(READ_MAX_LINES);
    expect(result.continuation).toEqual({ offset: READ_MAX_LINES + 1 });
    expect(modelText(result)).toContain(
      `[Showing lines 1-${READ_MAX_LINES} of ${READ_MAX_LINES + 500} (2000-line limit). Use offset=2001 to continue.]`,
    );
  });

  it("caps a page at 50 KB and continues where it stopped", async () => {
    await writeFile(path.join(ws.workspace, "wide.txt"), numbered(200, 999));
    const first = await read({ path: "wide.txt" });
    if (first.kind !== "truncated") throw new Error("expected truncation");
    expect(Buffer.byteLength(first.content)).toBeLessThanOrEqual(READ_MAX_BYTES);
    expect(first.truncatedBy).toBe("bytes");
    expect(modelText(first)).toMatch(/\(50 KB limit\)\. Use offset=\d+ to continue\.\]$/);
    const next = await read({ path: "wide.txt", offset: first.continuation.offset });
    expect(
      next.kind === "text" || next.kind === "truncated"
        ? next.content.startsWith(`line ${first.continuation.offset}x`)
        : false,
    ).toBe(true);
  });

  it("pages through a single line longer than the cap with cursor", async () => {
    const line = "é".repeat((READ_MAX_BYTES * 3) / 4);
    await writeFile(path.join(ws.workspace, "one-line.txt"), `${line}\nsecond`);
    const first = await read({ path: "one-line.txt" });
    if (first.kind !== "truncated") throw new Error("expected truncation");
    expect(first.continuation).toEqual({ offset: 1, cursor: READ_MAX_BYTES / 2 });
    expect(modelText(first)).toContain(`Use offset=1, cursor=${READ_MAX_BYTES / 2} to continue.`);
    const second = await read({ path: "one-line.txt", ...first.continuation });
    expect(second).toMatchObject({ kind: "text", content: `${"é".repeat(READ_MAX_BYTES / 4)}\nsecond` });
  });

  it("returns an image as image content, judged by its bytes and not its name", async () => {
    const png = tinyPng();
    await writeFile(path.join(ws.workspace, "picture.txt"), png);
    const result = await read({ path: "picture.txt" });
    expect(result).toEqual({
      kind: "image",
      path: "picture.txt",
      mimeType: "image/png",
      bytes: png.length,
      data: png.toString("base64"),
    });
    const output = createReadTool(ws.options).toModelOutput?.(result);
    expect(output).toEqual({
      type: "content",
      value: [
        { type: "text", text: expect.stringContaining("image/png") },
        { type: "image-data", data: png.toString("base64"), mediaType: "image/png" },
      ],
    });
    await writeFile(path.join(ws.workspace, "fake.png"), "just text");
    expect(await read({ path: "fake.png" })).toMatchObject({ kind: "text", content: "just text" });
  });

  it("refuses an image over 5 MB and binary files, saying why", async () => {
    await writeFile(
      path.join(ws.workspace, "huge.png"),
      Buffer.concat([tinyPng(), Buffer.alloc(5 * 1024 * 1024)]),
    );
    const big = await readError({ path: "huge.png" });
    expect(big.code).toBe("TOO_LARGE");
    expect(big.message).toContain("5 MB");
    await writeFile(path.join(ws.workspace, "blob.bin"), Buffer.from([1, 2, 0, 3, 4]));
    expect((await readError({ path: "blob.bin" })).code).toBe("UNSUPPORTED_CONTENT");
  });

  it("answers not_found for a missing optional file and fails for a required one", async () => {
    expect(await read({ path: "nope.md", optional: true })).toEqual({
      kind: "not_found",
      status: "not_found",
      path: "nope.md",
      optional: true,
    });
    expect((await readError({ path: "nope.md" })).code).toBe("NOT_FOUND");
  });

  it("reports empty files, directories and offsets past the end", async () => {
    await writeFile(path.join(ws.workspace, "empty.txt"), "");
    expect(modelText(await read({ path: "empty.txt" }))).toBe("File is empty (0 bytes).");
    await mkdir(path.join(ws.workspace, "dir"));
    expect((await readError({ path: "dir" })).message).toContain("is a directory");
    await writeFile(path.join(ws.workspace, "short.txt"), "a\nb\n");
    expect((await readError({ path: "short.txt", offset: 5 })).message).toContain("retry with offset <= 2");
  });

  it("refuses paths leaving the workspace, through ../ or a symlink, until workspaceOnly is turned off", async () => {
    await writeFile(path.join(ws.outside, "secret.txt"), "secret");
    await symlink(path.join(ws.outside, "secret.txt"), path.join(ws.workspace, "link.txt"));
    await symlink(ws.outside, path.join(ws.workspace, "out"));
    for (const target of [
      "../outside/secret.txt",
      "link.txt",
      "out/secret.txt",
      path.join(ws.outside, "secret.txt"),
    ]) {
      expect((await readError({ path: target })).code).toBe("PATH_OUTSIDE_WORKSPACE");
      expect((await readError({ path: target, optional: true })).code).toBe("PATH_OUTSIDE_WORKSPACE");
    }
    ws.policy.workspaceOnly = false;
    expect(await read({ path: "../outside/secret.txt" })).toMatchObject({ kind: "text", content: "secret" });
    expect(await read({ path: "link.txt" })).toMatchObject({ kind: "text", content: "secret" });
  });

  it("opens files under the read-only roots while confined", async () => {
    await writeFile(path.join(ws.outside, "SKILL.md"), "# skill");
    const tool = createReadTool({ ...ws.options, readOnlyRoots: () => [ws.outside] });
    expect(await tool.execute({ path: path.join(ws.outside, "SKILL.md") }, toolContext())).toMatchObject({
      content: "# skill",
    });
  });

  it("rejects malformed arguments as INVALID_ARGUMENTS", async () => {
    expect((await readError({ path: "a", offset: 0 })).code).toBe("INVALID_ARGUMENTS");
    expect((await readError({})).code).toBe("INVALID_ARGUMENTS");
  });
});
