import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { ToolError } from "../tool-error.js";
import { writeFileAtomic } from "./atomic-write.js";
import { withFileLocks } from "./file-mutation-queue.js";
import { formatBytes, WRITE_MAX_BYTES } from "./fs-limits.js";
import { type FsToolsOptions, parseToolArgs, resolveToolPath } from "./fs-tool-context.js";
import { isMissing, PATH_MAX_CHARS } from "./workspace-path.js";

export const WriteArgsSchema = z.object({
  path: z.string().max(PATH_MAX_CHARS).describe("File path; relative to the workspace, or absolute."),
  content: z.string().describe("The whole new content of the file."),
});

export type WriteResult =
  | { changed: false; path: string; note: string }
  | { changed: true; created: boolean; path: string; bytes: number };

export function createWriteTool(options: FsToolsOptions): AgentTool {
  return {
    name: "write",
    description: `Create a file or replace its whole content; missing parent folders are created. At most ${formatBytes(WRITE_MAX_BYTES)}. For changes to part of a file use edit.`,
    parameters: WriteArgsSchema,
    async execute(rawArgs, ctx): Promise<WriteResult> {
      const args = parseToolArgs("write", WriteArgsSchema, rawArgs);
      const bytes = Buffer.byteLength(args.content, "utf8");
      if (bytes > WRITE_MAX_BYTES) {
        throw new ToolError(
          "TOO_LARGE",
          `content is ${formatBytes(bytes)}; write takes at most ${formatBytes(WRITE_MAX_BYTES)} per call. Split the file, or write it in parts with exec.`,
        );
      }
      const absolute = await resolveToolPath(options, { agentId: ctx.agentId, path: args.path });
      return withFileLocks([absolute], async () => {
        const existing = await compareWithExisting(absolute, args.path, args.content, bytes);
        if (existing === "same") {
          return { changed: false, path: args.path, note: "The file already has exactly this content." };
        }
        ctx.signal.throwIfAborted();
        await mkdir(path.dirname(absolute), { recursive: true });
        await writeFileAtomic(absolute, args.content);
        return { changed: true, created: existing === "absent", path: args.path, bytes };
      });
    },
  };
}

async function compareWithExisting(
  absolute: string,
  shownPath: string,
  content: string,
  bytes: number,
): Promise<"absent" | "same" | "different"> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory())
      throw new ToolError("INVALID_ARGUMENTS", `${shownPath} is a directory, not a file`);
    if (!info.isFile()) throw new ToolError("UNSUPPORTED_CONTENT", `${shownPath} is not a regular file`);
    if (info.size !== bytes) return "different";
    return (await readFile(absolute, "utf8")) === content ? "same" : "different";
  } catch (error) {
    if (isMissing(error)) return "absent";
    throw error;
  }
}
