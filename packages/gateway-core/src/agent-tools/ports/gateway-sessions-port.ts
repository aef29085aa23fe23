import { randomUUID } from "node:crypto";
import type { AgentRunResult } from "@openclaw/agent";
import { isSessionError, normalizeSessionKey, parseSessionKey, type SessionStore } from "@openclaw/sessions";
import {
  type AgentInfo,
  type HistoryEntry,
  type SessionSendOutcome,
  type SessionsPort,
  ToolError,
} from "@openclaw/tools/config";
import type { ChatTurn, ChatTurnRequest } from "../../chat/chat-service.js";
import { toSessionInfo } from "./session-info.js";
import { interSessionMessage } from "./subagent-messages.js";
import type { SubagentRegistry } from "./subagent-registry.js";
import type { SubagentSpawner } from "./subagent-spawner.js";

const HISTORY_ROLES = new Set(["user", "assistant", "tool", "system", "summary"]);

export interface GatewaySessionsDeps {
  sessions: Pick<SessionStore, "list" | "get" | "resolve" | "readTranscript">;
  chat: { accept(request: ChatTurnRequest): Promise<ChatTurn> };
  /** A run of the session is running or queued (AgentRuntime.isActive). */
  isSessionActive(sessionKey: string): boolean;
  agents(): AgentInfo[];
  /** `session.mainKey`. */
  mainKey(): string | undefined;
  registry: SubagentRegistry;
  spawner: SubagentSpawner;
}

/** The session tools' port over the session store, the chat service (turns) and the sub-agent spawner. */
export function createGatewaySessionsPort(deps: GatewaySessionsDeps): SessionsPort {
  const info = (row: Parameters<typeof toSessionInfo>[0]) =>
    toSessionInfo(row, {
      registry: deps.registry,
      isActive: (key) => deps.isSessionActive(key) || deps.spawner.isUnsettled(key),
    });
  const agentOf = (sessionKey: string) => parseSessionKey(sessionKey)?.agentId ?? "main";

  return {
    async list(query) {
      const { rows, total } = await deps.sessions.list(query);
      return { sessions: rows.map(info), total };
    },

    async get(sessionKey) {
      const row = await deps.sessions.get(sessionKey).catch(ignoreInvalidKey);
      return row ? info(row) : undefined;
    },

    async resolveKey(query) {
      const mainKey = deps.mainKey();
      if (query.sessionKey !== undefined) {
        // A free-form key ("notes") is kept verbatim by the store; the model usually means the agent's own session.
        for (const candidate of [query.sessionKey, `agent:${query.agentId}:${query.sessionKey}`]) {
          let key: string;
          try {
            key = normalizeSessionKey(candidate, { agentId: query.agentId, mainKey });
          } catch (error) {
            if (isSessionError(error)) continue;
            throw error;
          }
          const row = await deps.sessions.get(key).catch(ignoreInvalidKey);
          if (row) return row.key;
        }
        return undefined;
      }
      if (query.label === undefined) {
        const key = normalizeSessionKey("main", { agentId: query.agentId, mainKey });
        return (await deps.sessions.get(key))?.key;
      }
      try {
        return (await deps.sessions.resolve({ label: query.label, agentId: query.agentId })).key;
      } catch (error) {
        if (!isSessionError(error)) throw error;
        if (error.code === "SESSION_AMBIGUOUS") throw new ToolError("NOT_UNIQUE", error.message);
        return undefined;
      }
    },

    async history(sessionKey, o) {
      const entries = await deps.sessions.readTranscript(sessionKey, { limit: o.limit });
      return entries.filter((entry) => HISTORY_ROLES.has(entry.role)).map(toHistoryEntry);
    },

    async send(request): Promise<SessionSendOutcome> {
      let turn: ChatTurn;
      try {
        turn = await deps.chat.accept({
          sessionKey: request.sessionKey,
          agentId: agentOf(request.sessionKey),
          message: interSessionMessage({
            fromSessionKey: request.requesterSessionKey,
            fromAgentId: request.requesterAgentId,
            message: request.message,
          }),
        });
      } catch (error) {
        return {
          status: "error",
          runId: randomUUID(),
          error: `the message could not be recorded in ${request.sessionKey}: ${(error as Error).message}`,
          sent: false,
        };
      }
      if (request.waitMs === 0) return { status: "accepted", runId: turn.runId };
      const result = await waitForRun(turn.done, request.waitMs, request.signal);
      if (result === undefined) return { status: "timeout", runId: turn.runId };
      if (result.status === "ok") return { status: "ok", runId: turn.runId, reply: result.text };
      return {
        status: "error",
        runId: turn.runId,
        error: result.error?.message ?? `the run ended ${result.status}`,
        sent: true,
      };
    },

    spawn: (request) => deps.spawner.spawn(request),

    agents: () => deps.agents(),
  };
}

function toHistoryEntry(
  entry: Record<string, unknown> & { role: string; text: string; ts: number },
): HistoryEntry {
  const out: HistoryEntry = { role: entry.role as HistoryEntry["role"], text: entry.text, ts: entry.ts };
  if (typeof entry.runId === "string") out.runId = entry.runId;
  if (typeof entry.toolName === "string") out.toolName = entry.toolName;
  if (typeof entry.toolCallId === "string") out.toolCallId = entry.toolCallId;
  if ("args" in entry) out.args = entry.args;
  if ("result" in entry) out.result = entry.result;
  if (entry.isError === true) out.isError = true;
  if (typeof entry.model === "string") out.model = entry.model;
  return out;
}

/** The run's result, or undefined when `waitMs` passed or the caller gave up first; the run itself goes on. */
function waitForRun(
  done: Promise<AgentRunResult>,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<AgentRunResult | undefined> {
  return new Promise((resolve) => {
    const finish = (value: AgentRunResult | undefined) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), waitMs);
    timer.unref?.();
    if (signal?.aborted) return finish(undefined);
    signal?.addEventListener("abort", onAbort, { once: true });
    void done.then(finish);
  });
}

/** A key the store refuses to parse names no session. */
function ignoreInvalidKey(error: unknown): undefined {
  if (isSessionError(error)) return undefined;
  throw error;
}
