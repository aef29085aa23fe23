import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolContext } from "@openclaw/agent";
import type { ExecApprovalRecord } from "@openclaw/protocol";
import { afterEach } from "vitest";
import { createLogger } from "../logging/logger.js";
import { createExecAllowlist } from "./exec-allowlist.js";
import { ExecApprovalManager } from "./exec-approval-manager.js";
import { createExecTools, type ExecPolicy } from "./exec-tool.js";
import { createProcessRegistry, type ProcessRegistryOptions } from "./process-registry.js";

export type TestResult = Record<string, unknown> & { status: string; output?: string; sessionId?: string };

export function toolContext(overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    sessionKey: "agent:main:main",
    runId: "run-1",
    agentId: "main",
    toolCallId: "call-1",
    signal: new AbortController().signal,
    update: () => {},
    ...overrides,
  };
}

/** Real exec and process tools over a real registry and approval manager, in a temp state dir removed after each test. */
export function useExecHarness() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  return async function setup(
    options: { policy?: Partial<ExecPolicy>; registry?: ProcessRegistryOptions } = {},
  ) {
    const root = await realpath(await mkdtemp(join(tmpdir(), "exec-tool-")));
    const workspace = join(root, "workspace");
    const requested: ExecApprovalRecord[] = [];
    const waiters: ((record: ExecApprovalRecord) => void)[] = [];
    const allowlist = createExecAllowlist(root);
    const approvals = new ExecApprovalManager({
      emit: (event, payload) => {
        if (event !== "exec.approval.requested") return;
        const waiter = waiters.shift();
        if (waiter) waiter(payload as ExecApprovalRecord);
        else requested.push(payload as ExecApprovalRecord);
      },
      allowlist,
      logger: createLogger({ level: "silent", sinks: [] }),
    });
    const processes = createProcessRegistry({ killGraceMs: 500, ...options.registry });
    const policy: ExecPolicy = { mode: "full", approvalTimeoutMs: 10_000, timeoutSec: 60, ...options.policy };
    const tools = createExecTools({
      approvals,
      allowlist,
      policy: () => policy,
      workspaceFor: (agentId) => (agentId === "main" ? workspace : undefined),
      processes,
    });
    cleanups.push(async () => {
      approvals.close();
      await processes.close();
      await rm(root, { recursive: true, force: true });
    });
    return {
      root,
      workspace,
      policy,
      approvals,
      allowlist,
      processes,
      exec: (args: unknown, ctx: Partial<ToolContext> = {}) =>
        tools.exec.execute(args, toolContext(ctx)) as Promise<TestResult>,
      process: (args: unknown, ctx: Partial<ToolContext> = {}) =>
        tools.process.execute(args, toolContext(ctx)) as Promise<TestResult>,
      /** The next approval the exec tool asks for (or one already asked for and not yet taken). */
      nextApproval: (): Promise<ExecApprovalRecord> => {
        const ready = requested.shift();
        return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
      },
      approvalsAsked: () => requested.length,
    };
  };
}
