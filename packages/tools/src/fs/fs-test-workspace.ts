import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AgentTool, ToolContext } from "@openclaw/agent";
import { expect } from "vitest";
import { ToolError } from "../tool-error.js";
import type { FsPolicy, FsToolsOptions } from "./fs-tool-context.js";

/** A real temp folder holding `workspace/` and, beside it, `outside/` for escape attempts. Test-only. */
export interface TestWorkspace {
  workspace: string;
  outside: string;
  policy: FsPolicy;
  options: FsToolsOptions;
  cleanup(): Promise<void>;
}

export async function createTestWorkspace(): Promise<TestWorkspace> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), "openclaw-fs-")));
  const workspace = path.join(root, "workspace");
  const outside = path.join(root, "outside");
  await mkdir(workspace);
  await mkdir(outside);
  const policy: FsPolicy = { workspaceOnly: true };
  return {
    workspace,
    outside,
    policy,
    options: { workspaceFor: () => workspace, policy: () => policy },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export function toolContext(signal: AbortSignal = new AbortController().signal): ToolContext {
  return {
    sessionKey: "agent:main:main",
    runId: "run-1",
    agentId: "main",
    toolCallId: "call-1",
    signal,
    update: () => {},
  };
}

export function toolNamed(tools: readonly AgentTool[], name: string): AgentTool {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
}

/** The ToolError a call fails with; fails the test when it succeeds or throws anything else. */
export async function toolErrorOf(call: Promise<unknown>): Promise<ToolError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}
