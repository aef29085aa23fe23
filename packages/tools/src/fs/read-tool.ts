import { open, readFile, stat } from "node:fs/promises";
import type { AgentTool, ToolModelOutput } from "@openclaw/agent";
import { z } from "zod";
import { imagesModelOutput } from "../media/image-model-output.js";
import { IMAGE_MAX_BYTES, type ImageMediaType, SNIFF_BYTES, sniffImageType } from "../media/image-sniff.js";
import { ToolError } from "../tool-error.js";
import { formatBytes, READ_MAX_BYTES, READ_MAX_LINES, TEXT_FILE_MAX_BYTES } from "./fs-limits.js";
import { type FsToolsOptions, parseToolArgs, resolveToolPath } from "./fs-tool-context.js";
import { pageText, type ReadContinuation } from "./read-text-page.js";
import { type LoadedTextFile, loadTextFile, textFromBytes } from "./text-file.js";
import { isMissing, PATH_MAX_CHARS } from "./workspace-path.js";

export const ReadArgsSchema = z.object({
  path: z.string().max(PATH_MAX_CHARS).describe("File path; relative to the workspace, or absolute."),
  offset: z.number().int().min(1).optional().describe("First line to show; 1-based."),
  limit: z.number().optional().describe("Most lines to show."),
  cursor: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      "Character position within the first line; 0-based. Continues a line longer than the size cap.",
    ),
  optional: z
    .literal(true)
    .optional()
    .describe("A missing file returns status not_found instead of failing."),
});

export type ReadResult =
  | { kind: "text"; path: string; content: string; note?: string }
  | {
      kind: "truncated";
      path: string;
      content: string;
      notice: string;
      continuation: ReadContinuation;
      truncatedBy: "lines" | "bytes" | "limit";
      totalLines: number;
    }
  | { kind: "image"; path: string; mimeType: ImageMediaType; bytes: number; data: string }
  | { kind: "not_found"; status: "not_found"; path: string; optional: true };

const MISSING_HINT =
  "Check the name (list the folder with exec ls), or pass optional: true for a file that may not exist.";

export function createReadTool(options: FsToolsOptions): AgentTool {
  return {
    name: "read",
    description: `Read a text file, or an image (png, jpeg, gif, webp) which is shown to you as an image. Text comes back at most ${READ_MAX_LINES} lines or ${formatBytes(READ_MAX_BYTES)} per call; continue with offset/limit, or with cursor inside a very long line.`,
    parameters: ReadArgsSchema,
    async execute(rawArgs, ctx): Promise<ReadResult> {
      const args = parseToolArgs("read", ReadArgsSchema, rawArgs);
      const absolute = await resolveToolPath(options, {
        agentId: ctx.agentId,
        path: args.path,
        forReading: true,
      });
      try {
        return await readFileAt(absolute, args);
      } catch (error) {
        if (args.optional && error instanceof ToolError && error.code === "NOT_FOUND") {
          return { kind: "not_found", status: "not_found", path: args.path, optional: true };
        }
        throw error;
      }
    },
    toModelOutput: readModelOutput,
  };
}

async function readFileAt(absolute: string, args: z.infer<typeof ReadArgsSchema>): Promise<ReadResult> {
  const info = await stat(absolute).catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
  let file: LoadedTextFile;
  if (info?.isFile() && info.size <= Math.min(IMAGE_MAX_BYTES, TEXT_FILE_MAX_BYTES)) {
    // The common case reads the file once and tells image from text by its bytes.
    const bytes = await readFile(absolute);
    const image = await imageFromBytes(bytes, args.path);
    if (image) return image;
    file = await textFromBytes(bytes, args.path);
  } else {
    if (info?.isFile()) {
      const image = await readImage(absolute, info.size, args.path);
      if (image) return image;
    }
    file = await loadTextFile(absolute, args.path, MISSING_HINT);
  }
  if (file.text === "") {
    return {
      kind: "text",
      path: args.path,
      content: "",
      note: `File is empty (${file.bytes.length} bytes).`,
    };
  }
  const page = pageText(file.text, args);
  return { path: args.path, ...page };
}

async function imageFromBytes(bytes: Buffer, shownPath: string): Promise<ReadResult | undefined> {
  const mimeType = await sniffImageType(bytes.subarray(0, SNIFF_BYTES));
  if (!mimeType) return undefined;
  return { kind: "image", path: shownPath, mimeType, bytes: bytes.length, data: bytes.toString("base64") };
}

/** The image a file holds, judged by its bytes; undefined for anything else. */
async function readImage(absolute: string, size: number, shownPath: string): Promise<ReadResult | undefined> {
  const handle = await open(absolute, "r");
  try {
    const head = new Uint8Array(Math.min(size, SNIFF_BYTES));
    await handle.read(head, 0, head.length, 0);
    const mimeType = await sniffImageType(head);
    if (!mimeType) return undefined;
    if (size > IMAGE_MAX_BYTES) {
      throw new ToolError(
        "TOO_LARGE",
        `${shownPath} is a ${formatBytes(size)} ${mimeType} image; images over ${formatBytes(IMAGE_MAX_BYTES)} are not sent to the model. Make a smaller copy first (e.g. with exec).`,
      );
    }
    const data = Buffer.alloc(size);
    const { bytesRead } = await handle.read(data, 0, size, 0);
    return {
      kind: "image",
      path: shownPath,
      mimeType,
      bytes: bytesRead,
      data: data.toString("base64", 0, bytesRead),
    };
  } finally {
    await handle.close();
  }
}

function readModelOutput(result: unknown): ToolModelOutput {
  const read = result as ReadResult;
  switch (read.kind) {
    case "text":
      return { type: "text", value: read.note ?? read.content };
    case "truncated":
      return { type: "text", value: `${read.content}\n\n${read.notice}` };
    case "image":
      return imagesModelOutput(
        `Read image file ${read.path} [${read.mimeType}, ${formatBytes(read.bytes)}]`,
        [{ source: read.path, mediaType: read.mimeType, bytes: read.bytes, data: read.data }],
      );
    case "not_found":
      return { type: "text", value: `Optional file not found: ${read.path}.` };
    default:
      return { type: "json", value: result };
  }
}
