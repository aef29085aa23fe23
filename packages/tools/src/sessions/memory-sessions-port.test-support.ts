// Test support: an in-memory SessionsPort, so the session tools are tested as the unit they are.
import type { ToolContext } from "@openclaw/agent";
import type {
  AgentInfo,
  HistoryEntry,
  SessionInfo,
  SessionSendOutcome,
  SessionSendRequest,
  SessionsPort,
  SpawnOutcome,
  SpawnRequest,
} from "../ports/sessions-port.js";
import { type SessionToolSettings, SUBAGENT_DEFAULTS } from "./session-tools-config.js";

export function session(key: string, fields: Partial<SessionInfo> = {}): SessionInfo {
  const agentId = /^agent:([^:]+):/.exec(key)?.[1] ?? "main";
  return {
    key,
    agentId,
    kind: "other",
    channel: "unknown",
    isMain: key === `agent:${agentId}:main`,
    spawnDepth: 0,
    archived: false,
    pinned: false,
    running: false,
    ...fields,
  };
}

export class MemorySessionsPort implements SessionsPort {
  readonly sessions: SessionInfo[] = [];
  readonly histories = new Map<string, HistoryEntry[]>();
  readonly sent: SessionSendRequest[] = [];
  readonly spawned: SpawnRequest[] = [];
  agentList: AgentInfo[] = [{ id: "main", configured: true, isDefault: true, model: "fake/model-a" }];
  sendOutcome: (request: SessionSendRequest) => SessionSendOutcome = () => ({
    status: "ok",
    runId: "run-1",
    reply: "pong",
  });
  /** Children per parent counted as active, as the gateway counts running and queued children. */
  readonly activeChildren = new Map<string, number>();

  add(...sessions: SessionInfo[]): this {
    this.sessions.push(...sessions);
    return this;
  }

  async list(query: Parameters<SessionsPort["list"]>[0]) {
    const matching = this.sessions.filter((s) => {
      if (query.agentId && s.agentId !== query.agentId) return false;
      if (query.label && s.label !== query.label) return false;
      if (query.search && !s.key.includes(query.search) && !(s.label ?? "").includes(query.search))
        return false;
      const archived = query.archived ?? false;
      if (archived !== "all" && s.archived !== archived) return false;
      return true;
    });
    return { sessions: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  }

  async get(sessionKey: string) {
    return this.sessions.find((s) => s.key === sessionKey);
  }

  async resolveKey(query: { sessionKey?: string; label?: string; agentId: string }) {
    if (query.sessionKey !== undefined) {
      const key = query.sessionKey === "main" ? `agent:${query.agentId}:main` : query.sessionKey;
      return this.sessions.some((s) => s.key === key) ? key : undefined;
    }
    if (query.label !== undefined) {
      return this.sessions.find((s) => s.label === query.label && s.agentId === query.agentId)?.key;
    }
    return `agent:${query.agentId}:main`;
  }

  async history(sessionKey: string, o: { limit: number }) {
    return (this.histories.get(sessionKey) ?? []).slice(-o.limit);
  }

  async send(request: SessionSendRequest) {
    this.sent.push(request);
    return this.sendOutcome(request);
  }

  async spawn(request: SpawnRequest): Promise<SpawnOutcome> {
    const active = this.activeChildren.get(request.parentSessionKey) ?? 0;
    if (active >= request.limits.maxChildrenPerSession) {
      return {
        status: "forbidden",
        error: `max active children (${active}/${request.limits.maxChildrenPerSession})`,
      };
    }
    this.activeChildren.set(request.parentSessionKey, active + 1);
    this.spawned.push(request);
    const childSessionKey = `agent:${request.agentId}:subagent:${this.spawned.length}`;
    const parent = await this.get(request.parentSessionKey);
    this.add(
      session(childSessionKey, {
        parentSessionKey: request.parentSessionKey,
        spawnDepth: (parent?.spawnDepth ?? 0) + 1,
      }),
    );
    return {
      status: "accepted",
      childSessionKey,
      runId: `child-run-${this.spawned.length}`,
      context: request.context,
    };
  }

  agents() {
    return this.agentList;
  }
}

export function settings(overrides: Partial<SessionToolSettings> = {}): SessionToolSettings {
  return {
    visibility: "tree",
    agentToAgent: { enabled: true },
    subagents: { ...SUBAGENT_DEFAULTS, requireAgentId: false },
    ...overrides,
  };
}

export function toolContext(sessionKey: string, agentId = "main"): ToolContext {
  return {
    sessionKey,
    agentId,
    runId: "run-parent",
    toolCallId: "call-1",
    signal: new AbortController().signal,
    update: () => undefined,
  };
}
