import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { ToolError } from "../tool-error.js";
import { commitPlan } from "./apply-patch-commit.js";
import { parsePatch } from "./apply-patch-parser.js";
import { type PatchSummary, pathKey, planPatch, type ResolvedPaths } from "./apply-patch-plan.js";
import { withFileLocks } from "./file-mutation-queue.js";
import { formatBytes, WRITE_MAX_BYTES } from "./fs-limits.js";
import { type FsToolsOptions, parseToolArgs, resolveToolPath } from "./fs-tool-context.js";

export const ApplyPatchArgsSchema = z.object({
  input: z.string().describe("Patch content using the *** Begin Patch/End Patch format."),
});

export interface ApplyPatchResult {
  summary: PatchSummary;
  /** Files an Update File hunk left exactly as they were. */
  unchanged?: string[];
}

const DESCRIPTION = `Change one or more files with a patch. The input starts with '*** Begin Patch' and ends with '*** End Patch'; between them '*** Add File: <path>' (every line prefixed '+'), '*** Delete File: <path>', or '*** Update File: <path>' (optionally followed by '*** Move to: <new path>') with hunks that start with '@@' (optionally '@@ <a line just above the change>') and hold context lines (' '), removed lines ('-') and added lines ('+'); '*** End of File' ends a hunk that must match at the file's end. Either every change applies or none does.`;

export function createApplyPatchTool(options: FsToolsOptions): AgentTool {
  return {
    name: "apply_patch",
    description: DESCRIPTION,
    parameters: ApplyPatchArgsSchema,
    async execute(rawArgs, ctx): Promise<ApplyPatchResult> {
      const { input } = parseToolArgs("apply_patch", ApplyPatchArgsSchema, rawArgs);
      if (input.trim() === "")
        throw new ToolError("INVALID_ARGUMENTS", "apply_patch: input is empty; pass the patch text");
      if (input.length > WRITE_MAX_BYTES) {
        throw new ToolError(
          "TOO_LARGE",
          `apply_patch: the patch is over ${formatBytes(WRITE_MAX_BYTES)}; split it into several calls`,
        );
      }
      const operations = parsePatch(input);
      const paths: ResolvedPaths = new Map();
      const resolve = async (path: string, forDelete: boolean) => {
        const key = pathKey(path, forDelete);
        if (paths.has(key)) return;
        paths.set(
          key,
          await resolveToolPath(options, { agentId: ctx.agentId, path, keepFinalSymlink: forDelete }),
        );
      };
      // Every path passes the workspace guard before anything is read or written.
      for (const operation of operations) {
        await resolve(operation.path, operation.kind === "delete");
        if (operation.kind === "update" && operation.moveTo !== undefined)
          await resolve(operation.moveTo, false);
      }
      return withFileLocks([...paths.values()], async () => {
        const plan = await planPatch(operations, paths);
        await commitPlan(plan.files, ctx.signal);
        return plan.unchanged.length > 0
          ? { summary: plan.summary, unchanged: plan.unchanged }
          : { summary: plan.summary };
      });
    },
  };
}
