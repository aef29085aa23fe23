import { SessionError } from "./session-error.js";
import { normalizeAgentId } from "./session-key.js";

export interface SessionQuery {
  key?: string;
  sessionId?: string;
  label?: string;
  agentId?: string;
  allowMissing?: boolean;
}

export interface SessionResolution {
  ok: true;
  key: string;
  agentId: string;
  displayName?: string;
}

export interface ResolvableSession {
  key: string;
  agentId: string;
  sessionId: string;
  label?: string;
  displayName?: string;
}

export interface SessionCandidate {
  key: string;
  agentId: string;
  displayName?: string;
}

/** `sessions.resolve` lists at most this many candidates for an ambiguous label. */
export const MAX_RESOLVE_CANDIDATES = 10;

export interface ResolveContext {
  sessions: () => Iterable<ResolvableSession>;
  /** The canonical key for the query's key, and the agent it would belong to. */
  canonicalKey: (key: string, agentId: string | undefined) => { key: string; agentId: string };
  lookup: (canonicalKey: string) => ResolvableSession | undefined;
}

function resolution(session: ResolvableSession): SessionResolution {
  const result: SessionResolution = { ok: true, key: session.key, agentId: session.agentId };
  const displayName = session.label ?? session.displayName;
  if (displayName !== undefined) result.displayName = displayName;
  return result;
}

function candidate(session: ResolvableSession): SessionCandidate {
  const { ok: _ok, ...rest } = resolution(session);
  return rest;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Finds the session a request names. Precedence: `key`, then `sessionId`, then `label`; the first one
 * present decides and the others are ignored. A label shared by several sessions is ambiguous.
 */
export function resolveSession(query: SessionQuery, context: ResolveContext): SessionResolution {
  const agentFilter = agentFilterOf(query);
  const key = nonEmpty(query.key);
  if (key !== undefined) return resolveByKey(key, query, context);

  const sessionId = nonEmpty(query.sessionId);
  if (sessionId !== undefined) {
    const matches = collect(context, agentFilter, (session) => session.sessionId === sessionId);
    return single(matches, { sessionId, agentId: agentFilter }, `session id "${sessionId}"`);
  }

  const label = nonEmpty(query.label);
  if (label !== undefined) {
    const matches = collect(context, agentFilter, (session) => session.label?.trim() === label);
    return single(matches, { label, agentId: agentFilter }, `label "${label}"`);
  }

  throw new SessionError(
    "INVALID_SESSION_QUERY",
    "resolve needs a key, a sessionId or a label; pass one of them",
  );
}

function resolveByKey(key: string, query: SessionQuery, context: ResolveContext): SessionResolution {
  const agentFilter = agentFilterOf(query);
  const target = context.canonicalKey(key, agentFilter);
  const found = context.lookup(target.key);
  if (found) {
    if (agentFilter === undefined || found.agentId === agentFilter) return resolution(found);
    throw new SessionError(
      "SESSION_NOT_FOUND",
      `session "${target.key}" belongs to agent "${found.agentId}", not "${agentFilter}"; drop agentId or pass the owning agent`,
      { details: { searched: { key: target.key, agentId: agentFilter } } },
    );
  }
  if (query.allowMissing) return { ok: true, key: target.key, agentId: target.agentId };
  throw new SessionError(
    "SESSION_NOT_FOUND",
    `no session with key "${target.key}"; list sessions with sessions.list, or pass allowMissing to address a new one`,
    { details: { searched: { key: target.key, agentId: agentFilter } } },
  );
}

function agentFilterOf(query: SessionQuery): string | undefined {
  const agentId = nonEmpty(query.agentId);
  return agentId === undefined ? undefined : normalizeAgentId(agentId);
}

function collect(
  context: ResolveContext,
  agentFilter: string | undefined,
  predicate: (session: ResolvableSession) => boolean,
): ResolvableSession[] {
  const matches: ResolvableSession[] = [];
  for (const session of context.sessions()) {
    if (agentFilter !== undefined && session.agentId !== agentFilter) continue;
    if (predicate(session)) matches.push(session);
  }
  return matches.sort((a, b) => a.key.localeCompare(b.key));
}

function single(
  matches: ResolvableSession[],
  searched: Record<string, string | undefined>,
  what: string,
): SessionResolution {
  const [first] = matches;
  if (matches.length === 1 && first) return resolution(first);
  if (matches.length === 0) {
    throw new SessionError(
      "SESSION_NOT_FOUND",
      `no session with ${what}${searched.agentId ? ` for agent "${searched.agentId}"` : ""}; check the spelling or resolve by key`,
      { details: { searched } },
    );
  }
  const candidates = matches.slice(0, MAX_RESOLVE_CANDIDATES).map(candidate);
  const listed = candidates.map((c) => c.key).join(", ");
  throw new SessionError(
    "SESSION_AMBIGUOUS",
    `${matches.length} sessions match ${what} (${listed}${matches.length > candidates.length ? ", ..." : ""}); resolve by key, or pass agentId to narrow it`,
    { details: { searched, candidates, total: matches.length } },
  );
}
