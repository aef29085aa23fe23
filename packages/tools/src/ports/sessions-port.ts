/**
 * What the session tools (`sessions_list`, `sessions_history`, `sessions_send`, `sessions_spawn`, `session_status`,
 * `agents_list`) need from a gateway. The tools own the policy (visibility, spawn limits, output bounds); a port only
 * reads and runs. An implementation throws `ToolError` for a failure the model should see (e.g. UNAVAILABLE).
 */

/** OpenClaw's coarse session kinds, as `sessions_list` filters and reports them. */
export const SESSION_TOOL_KINDS = ["main", "group", "cron", "hook", "node", "other"] as const;
export type SessionToolKind = (typeof SESSION_TOOL_KINDS)[number];

/** One session as the tools see it. */
export interface SessionInfo {
  key: string;
  sessionId?: string;
  agentId: string;
  kind: SessionToolKind;
  /** The channel the session talks on; "internal" for cron and hook sessions, "unknown" when not known. */
  channel: string;
  label?: string;
  displayName?: string;
  /** The agent's main session (`agent:<id>:<mainKey>`). */
  isMain: boolean;
  /** The session whose run spawned this one; only sub-agent sessions have one. */
  parentSessionKey?: string;
  /** 0 for ordinary sessions; a sub-agent session is one deeper than the session that spawned it. */
  spawnDepth: number;
  archived: boolean;
  pinned: boolean;
  updatedAt?: number;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  messageCount?: number;
  /** A run of this session is running or queued now. */
  running: boolean;
  /** Only when the query asked for it. */
  lastMessagePreview?: string;
}

export interface SessionListQuery {
  /** Rows to return at most, newest first, after `offset`. */
  limit: number;
  offset: number;
  agentId?: string;
  label?: string;
  /** Case-insensitive substring of key, label or display name. */
  search?: string;
  /** Only sessions updated within the last N minutes. */
  activeMinutes?: number;
  /** false (default): not archived; true: archived only; "all": both. */
  archived?: boolean | "all";
  includeLastMessage?: boolean;
}

/** One transcript entry, oldest first in a history. */
export interface HistoryEntry {
  role: "user" | "assistant" | "tool" | "system" | "summary";
  text: string;
  ts: number;
  runId?: string;
  toolName?: string;
  toolCallId?: string;
  args?: unknown;
  result?: unknown;
  isError?: boolean;
  model?: string;
}

export interface SessionSendRequest {
  /** The session of the calling run (the message is marked as coming from it). */
  requesterSessionKey: string;
  requesterAgentId: string;
  /** Canonical key of the target, as `resolveKey` returned it. */
  sessionKey: string;
  message: string;
  /** 0: return once the message is accepted; otherwise wait up to this long for the target's reply. */
  waitMs: number;
  /** The calling tool's signal: when it aborts, the wait ends (the target's run goes on). */
  signal?: AbortSignal;
}

export type SessionSendOutcome =
  | { status: "ok"; runId: string; reply: string }
  | { status: "accepted"; runId: string }
  | { status: "timeout"; runId: string }
  /** `sent`: the message was recorded in the target before the failure (do not send it again). */
  | { status: "error"; runId: string; error: string; sent: boolean };

export interface SpawnLimits {
  /** Children of one session that may be running or queued at once; a spawn beyond it is refused. */
  maxChildrenPerSession: number;
  /** Sub-agent runs of the whole gateway running at once; further ones wait their turn. */
  maxConcurrent: number;
}

export interface SpawnRequest {
  parentSessionKey: string;
  parentAgentId: string;
  /** The agent the child runs as (the parent's unless `agentId` was passed and allowed). */
  agentId: string;
  task: string;
  label?: string;
  /** `<provider>/<model>` for the child's runs. */
  model?: string;
  /** 0 or omitted: the runtime's default run timeout. */
  runTimeoutMs?: number;
  /** "fork" copies the parent's recent conversation into the child first. */
  context: "isolated" | "fork";
  /** "delete" archives the child session once its result was announced. */
  cleanup: "keep" | "delete";
  /** false: the result is not announced back to the parent. */
  expectsCompletionMessage: boolean;
  /** "parent": the announce is a private parent turn; its reply is not delivered to a channel. */
  completionTarget?: "parent";
  limits: SpawnLimits;
}

export type SpawnOutcome =
  | {
      status: "accepted";
      childSessionKey: string;
      runId: string;
      context: "isolated" | "fork";
      note?: string;
    }
  | { status: "forbidden"; error: string }
  /** The child could not be started (e.g. its session could not be written); nothing runs. */
  | { status: "error"; error: string };

export interface AgentInfo {
  id: string;
  name?: string;
  /** `<provider>/<model>` the agent runs on, when known. */
  model?: string;
  configured: boolean;
  isDefault: boolean;
}

export interface SessionsPort {
  /** Sessions newest first with the query's filters; `total` counts every match before paging. */
  list(query: SessionListQuery): Promise<{ sessions: SessionInfo[]; total: number }>;
  get(sessionKey: string): Promise<SessionInfo | undefined>;
  /**
   * The canonical key of a session named by key (`main`, relative or `agent:<id>:...`, read for `agentId`), by label
   * (within `agentId`), or by `agentId` alone (that agent's main session); undefined when the name fits none.
   */
  resolveKey(query: { sessionKey?: string; label?: string; agentId: string }): Promise<string | undefined>;
  /** The last `limit` entries of a session's transcript, oldest first. */
  history(sessionKey: string, o: { limit: number }): Promise<HistoryEntry[]>;
  /** Starts a turn in another session with the message; waits for its reply when asked to. */
  send(request: SessionSendRequest): Promise<SessionSendOutcome>;
  /**
   * Starts a sub-agent run in a new child session (`agent:<agentId>:subagent:<id>`) and returns at once. When the
   * run ends its result is announced back into the parent session as a new turn (unless not expected). The child
   * limit is checked and reserved atomically, so parallel calls cannot exceed it.
   */
  spawn(request: SpawnRequest): Promise<SpawnOutcome>;
  /** The agents of the gateway (configured ones, plus the implicit default). */
  agents(): AgentInfo[];
}
