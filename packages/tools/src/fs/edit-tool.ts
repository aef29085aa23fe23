import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { ToolError } from "../tool-error.js";
import { writeFileAtomic } from "./atomic-write.js";
import { withFileLocks } from "./file-mutation-queue.js";
import { EDITS_MAX, formatBytes, TEXT_FILE_MAX_BYTES, WRITE_MAX_BYTES } from "./fs-limits.js";
import { type FsToolsOptions, parseToolArgs, resolveToolPath } from "./fs-tool-context.js";
import { applyTextEdits, type TextEdit } from "./text-edits.js";
import { encodeText, loadTextFile, normalizeLineEnds } from "./text-file.js";
import { PATH_MAX_CHARS } from "./workspace-path.js";

const ReplacementSchema = z.object({
  oldText: z
    .string()
    .describe("Exact text in the original file; must occur once and not overlap another edit."),
  newText: z.string().describe("What replaces it."),
});

/**
 * OpenClaw's shape: `edits[]`. Like OpenClaw it also takes one replacement as top-level `oldText`/`newText` (models
 * trained on other harnesses send that), merged into `edits`; so `edits` is optional here.
 */
export const EditArgsSchema = z.object({
  path: z.string().max(PATH_MAX_CHARS).describe("File path; relative to the workspace, or absolute."),
  edits: z
    .array(ReplacementSchema)
    .max(EDITS_MAX)
    .optional()
    .describe(
      "Replacements located in the original file; no overlap or nesting. Merge nearby changes into one.",
    ),
  oldText: z.string().optional().describe("Single replacement shorthand; prefer edits."),
  newText: z.string().optional().describe("Replacement for the top-level oldText."),
});

export type EditResult =
  | { changed: false; path: string; note: string }
  | { changed: true; path: string; replaced: number; firstChangedLine: number; diff: string };

export function createEditTool(options: FsToolsOptions): AgentTool {
  return {
    name: "edit",
    description:
      "Exact replacements in one file. Each oldText must match the original file exactly (whitespace included) and exactly once; several disjoint edits may go in one call. Keep oldText short but unique.",
    parameters: EditArgsSchema,
    async execute(rawArgs, ctx): Promise<EditResult> {
      const args = parseToolArgs("edit", EditArgsSchema, rawArgs);
      const edits = collectEdits(args);
      const absolute = await resolveToolPath(options, { agentId: ctx.agentId, path: args.path });
      return withFileLocks([absolute], async () => {
        const file = await loadTextFile(absolute, args.path, "Use write to create a new file.");
        const applied = applyTextEdits(file.text, edits, args.path);
        if (!applied.changed) {
          return { changed: false, path: args.path, note: "No changes: every newText equals its oldText." };
        }
        const encoded = encodeText(applied.text, file.form);
        const bytes = Buffer.byteLength(encoded, "utf8");
        if (bytes > TEXT_FILE_MAX_BYTES) {
          throw new ToolError(
            "TOO_LARGE",
            `the edited file would be ${formatBytes(bytes)}, over ${formatBytes(TEXT_FILE_MAX_BYTES)}`,
          );
        }
        ctx.signal.throwIfAborted();
        await writeFileAtomic(absolute, encoded);
        return {
          changed: true,
          path: args.path,
          replaced: edits.length,
          firstChangedLine: applied.firstChangedLine,
          diff: applied.diff,
        };
      });
    },
  };
}

function collectEdits(args: z.infer<typeof EditArgsSchema>): TextEdit[] {
  const edits = [...(args.edits ?? [])];
  if ((args.oldText === undefined) !== (args.newText === undefined)) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      "edit: oldText and newText go together; pass both, or use edits[]",
    );
  }
  if (args.oldText !== undefined && args.newText !== undefined) {
    const { oldText, newText } = args;
    if (!edits.some((edit) => edit.oldText === oldText && edit.newText === newText))
      edits.push({ oldText, newText });
  }
  if (edits.length === 0) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      "edit: edits must contain at least one {oldText, newText} replacement",
    );
  }
  if (edits.length > EDITS_MAX)
    throw new ToolError("INVALID_ARGUMENTS", `edit: at most ${EDITS_MAX} edits per call`);
  const size = edits.reduce((sum, edit) => sum + edit.oldText.length + edit.newText.length, 0);
  if (size > WRITE_MAX_BYTES) {
    throw new ToolError(
      "TOO_LARGE",
      `edit: the replacements hold ${formatBytes(size)} of text; at most ${formatBytes(WRITE_MAX_BYTES)} per call`,
    );
  }
  // Files are compared with \n line ends (CRLF files are written back as CRLF), so the edits are too.
  return edits.map((edit) => ({
    oldText: normalizeLineEnds(edit.oldText),
    newText: normalizeLineEnds(edit.newText),
  }));
}
