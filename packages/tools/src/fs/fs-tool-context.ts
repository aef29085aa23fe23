import { z } from "zod";
import { ToolError } from "../tool-error.js";
import { resolveWorkspacePath } from "./workspace-path.js";

export interface FsPolicy {
  workspaceOnly: boolean;
}

export interface FsToolsOptions {
  /** The agent's workspace folder (absolute); relative tool paths resolve against it. */
  workspaceFor(agentId: string): string;
  /** Read on every call, so a config edit (`tools.fs.workspaceOnly`) applies to the next call. */
  policy(agentId: string): FsPolicy;
  /**
   * Folders `read` may open even while confined to the workspace, e.g. the managed and bundled skill folders whose
   * SKILL.md the system prompt points the model at. Never writable through these tools.
   */
  readOnlyRoots?(agentId: string): readonly string[];
}

export interface ToolPathRequest {
  agentId: string;
  path: string;
  /** `read` only: allow the read-only roots too. */
  forReading?: boolean;
  keepFinalSymlink?: boolean;
}

/** Resolves a tool's path for one call under the agent's current policy. */
export function resolveToolPath(options: FsToolsOptions, request: ToolPathRequest): Promise<string> {
  const policy = options.policy(request.agentId);
  return resolveWorkspacePath(options.workspaceFor(request.agentId), request.path, {
    workspaceOnly: policy.workspaceOnly,
    extraRoots: request.forReading ? options.readOnlyRoots?.(request.agentId) : undefined,
    keepFinalSymlink: request.keepFinalSymlink,
  });
}

/** Validates a tool's arguments; a mismatch reaches the model as INVALID_ARGUMENTS naming the field. */
export function parseToolArgs<S extends z.ZodType>(tool: string, schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  throw new ToolError("INVALID_ARGUMENTS", `${tool}: invalid arguments\n${z.prettifyError(parsed.error)}`);
}
