import type { AgentTool } from "@openclaw/agent";
import { createApplyPatchTool } from "./apply-patch-tool.js";
import { createEditTool } from "./edit-tool.js";
import type { FsToolsOptions } from "./fs-tool-context.js";
import { createReadTool } from "./read-tool.js";
import { createWriteTool } from "./write-tool.js";

/** OpenClaw's file tools (`group:fs`): read, write, edit and apply_patch, confined as `tools.fs.workspaceOnly` says. */
export function createFsTools(options: FsToolsOptions): AgentTool[] {
  return [
    createReadTool(options),
    createWriteTool(options),
    createEditTool(options),
    createApplyPatchTool(options),
  ];
}
