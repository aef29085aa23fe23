import type { AbortCause } from "./run-dependencies.js";
import type { AgentRunRequest, AgentRunResult } from "./types.js";

export interface RunJob {
  runId: string;
  sessionKey: string;
  /** More than one when queued messages were collected into one turn. */
  requests: AgentRunRequest[];
  controller: AbortController;
  abortCause: AbortCause | undefined;
  seq: number;
  status: "queued" | "running" | "done";
  result: AgentRunResult | undefined;
  settle: (result: AgentRunResult) => void;
  done: Promise<AgentRunResult>;
  queuedAt: number;
}

export interface SessionLane {
  sessionKey: string;
  active: RunJob | undefined;
  pending: RunJob[];
}

/** Only messages that would run the same way can share a turn. */
export function canCollect(host: AgentRunRequest | undefined, request: AgentRunRequest): boolean {
  return (
    host !== undefined &&
    host.queueMode === "collect" &&
    host.ephemeral === undefined &&
    request.ephemeral === undefined &&
    host.agentId === request.agentId &&
    host.model === request.model &&
    host.thinking === request.thinking &&
    host.systemPrompt === request.systemPrompt
  );
}

/** A queued run whose `done` settles through `settle`. */
export function createRunJob(request: AgentRunRequest, runId: string, queuedAt: number): RunJob {
  let settle: (result: AgentRunResult) => void = () => {};
  const done = new Promise<AgentRunResult>((resolve) => {
    settle = resolve;
  });
  return {
    runId,
    sessionKey: request.sessionKey,
    requests: [request],
    controller: new AbortController(),
    abortCause: undefined,
    seq: 0,
    status: "queued",
    result: undefined,
    settle,
    done,
    queuedAt,
  };
}
