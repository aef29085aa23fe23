import type { SessionInfo } from "../ports/sessions-port.js";
import type { SessionToolSettings, SessionVisibility } from "./session-tools-config.js";

/** The calling session, as the visibility rules need it. */
export interface SessionCaller {
  key: string;
  agentId: string;
  isMain: boolean;
}

export type SessionAccessDecision = { allowed: true } | { allowed: false; reason: string };

/** Sub-agent lineage is at most five deep; the walk stops well beyond that in case of a cycle in stored data. */
const MAX_LINEAGE_STEPS = 16;

/**
 * OpenClaw's visibility scopes for the session tools:
 * - `self`: only the caller's own session;
 * - `tree`: the caller and the sessions it spawned (at any depth); from the agent's main session, every session of
 *   the same agent;
 * - `agent`: every session of the caller's agent;
 * - `all`: every session; another agent's only while `tools.agentToAgent` allows both agents.
 * Under `tree` and `all` the caller's own spawned children stay reachable even across agents.
 */
export async function decideSessionAccess(
  caller: SessionCaller,
  target: SessionInfo,
  policy: Pick<SessionToolSettings, "visibility" | "agentToAgent">,
  lookup: (key: string) => Promise<SessionInfo | undefined>,
): Promise<SessionAccessDecision> {
  if (target.key === caller.key) return { allowed: true };
  const visibility = policy.visibility;
  if (visibility === "self") return denied(visibility, "only the current session is visible");
  const sameAgent = target.agentId === caller.agentId;
  if (visibility === "agent") {
    return sameAgent ? { allowed: true } : denied(visibility, "only sessions of this agent are visible");
  }
  if (visibility === "tree" && sameAgent && caller.isMain) return { allowed: true };
  if (await isDescendant(target, caller.key, lookup)) return { allowed: true };
  if (visibility === "tree") {
    return denied(visibility, "only this session and the sessions it spawned are visible");
  }
  if (sameAgent) return { allowed: true };
  if (!policy.agentToAgent.enabled) {
    return {
      allowed: false,
      reason:
        "sessions of other agents are not reachable: tools.agentToAgent.enabled is false (set it to true to allow cross-agent access)",
    };
  }
  if (!agentToAgentAllows(policy.agentToAgent.allow, caller.agentId, target.agentId)) {
    return {
      allowed: false,
      reason: `agent "${caller.agentId}" may not reach agent "${target.agentId}": both must be listed in tools.agentToAgent.allow`,
    };
  }
  return { allowed: true };
}

function denied(visibility: SessionVisibility, what: string): SessionAccessDecision {
  return {
    allowed: false,
    reason: `session not visible: ${what} (tools.sessions.visibility is "${visibility}")`,
  };
}

async function isDescendant(
  target: SessionInfo,
  ancestorKey: string,
  lookup: (key: string) => Promise<SessionInfo | undefined>,
): Promise<boolean> {
  let parentKey = target.parentSessionKey;
  for (let step = 0; parentKey !== undefined && step < MAX_LINEAGE_STEPS; step += 1) {
    if (parentKey === ancestorKey) return true;
    parentKey = (await lookup(parentKey))?.parentSessionKey;
  }
  return false;
}

/**
 * `tools.agentToAgent.allow`: both agents must match an entry. Exact ids compare case-sensitively, `*` patterns
 * case-insensitively. An omitted or empty list allows everyone; a list of only blank entries allows no one.
 */
export function agentToAgentAllows(allow: readonly string[] | undefined, from: string, to: string): boolean {
  if (allow === undefined || allow.length === 0) return true;
  const entries = allow.map((entry) => entry.trim()).filter((entry) => entry !== "");
  const matches = (agentId: string) =>
    entries.some((entry) => (entry.includes("*") ? globMatches(entry, agentId) : entry === agentId));
  return matches(from) && matches(to);
}

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "i").test(value);
}
