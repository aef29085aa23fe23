import { entryDisplayName } from "../session-entry.js";
import { normalizeAgentId, normalizeSessionKey, parseSessionKey } from "../session-key.js";
import {
  type ResolvableSession,
  type ResolveContext,
  resolveSession,
  type SessionQuery,
  type SessionResolution,
} from "../session-resolver.js";
import type { SessionStorage, StoredSession } from "./storage-port.js";

/**
 * How many sessions one sessionId / label lookup fetches. More than MAX_RESOLVE_CANDIDATES so an ambiguous label
 * still reports how many sessions share it, yet bounded so a label on 100k sessions cannot load them all.
 */
export const RESOLVE_LOOKUP_LIMIT = 1000;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function toResolvable(session: StoredSession): ResolvableSession {
  const resolvable: ResolvableSession = {
    key: session.key,
    agentId: session.agentId,
    sessionId: session.entry.sessionId,
  };
  if (session.entry.label !== undefined) resolvable.label = session.entry.label;
  const displayName = entryDisplayName(session.entry);
  if (displayName !== undefined) resolvable.displayName = displayName;
  return resolvable;
}

/**
 * `sessions.resolve` over the port: fetches only what the query's deciding field needs (one row by key, or the rows
 * a sessionId / label lookup finds), then applies the same precedence and messages as the file store's resolver.
 */
export async function resolveOverPort(
  q: SessionQuery,
  storage: SessionStorage,
  defaultAgentId: string,
): Promise<SessionResolution> {
  const agentId = nonEmpty(q.agentId);
  const agentFilter = agentId === undefined ? undefined : normalizeAgentId(agentId);
  const key = nonEmpty(q.key);
  const empty: ResolveContext = {
    sessions: () => [],
    canonicalKey: (canonical) => ({ key: canonical, agentId: defaultAgentId }),
    lookup: () => undefined,
  };
  if (key !== undefined) {
    const canonical = normalizeSessionKey(key, { agentId: agentFilter ?? defaultAgentId });
    const found = await storage.getSession(canonical);
    return resolveSession(q, {
      ...empty,
      canonicalKey: () => ({
        key: canonical,
        agentId: found?.agentId ?? parseSessionKey(canonical)?.agentId ?? agentFilter ?? defaultAgentId,
      }),
      lookup: (wanted) => (found && wanted === canonical ? toResolvable(found) : undefined),
    });
  }
  const lookupOptions = { limit: RESOLVE_LOOKUP_LIMIT, ...(agentFilter ? { agentId: agentFilter } : {}) };
  const sessionId = nonEmpty(q.sessionId);
  const label = nonEmpty(q.label);
  let found: StoredSession[] = [];
  if (sessionId !== undefined) found = await storage.findSessions({ sessionId }, lookupOptions);
  else if (label !== undefined) found = await storage.findSessions({ label }, lookupOptions);
  return resolveSession(q, { ...empty, sessions: () => found.map(toResolvable) });
}
