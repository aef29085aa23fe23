import type { z } from "zod";
import { AgentSessionIndex } from "./agent-session-index.js";
import { entryDisplayName, type StoredSessionEntry } from "./session-entry.js";
import { createSessionEntry, type InitSchema } from "./session-entry-changes.js";
import { normalizeAgentId, parseSessionKey } from "./session-key.js";
import type { ResolvableSession } from "./session-resolver.js";
import type { SessionStoreLogger } from "./session-store.js";

export interface Located {
  index: AgentSessionIndex;
  entry: StoredSessionEntry;
}

/**
 * The file store's agent indexes and which of them owns each key (keys are unique across agents; a key found in two
 * indexes at load stays with the first, and the other is logged). New sessions go to the agent their key names.
 */
export class FileSessionOwners {
  private readonly indexes = new Map<string, AgentSessionIndex>();
  private readonly owners = new Map<string, AgentSessionIndex>();
  /** Sessions whose index entry (which names their transcript) is not on disk yet: appends to them wait for it. */
  private readonly creating = new Map<string, Promise<void>>();

  constructor(
    private readonly stateDir: string,
    private readonly defaultAgentId: string,
    loaded: AgentSessionIndex[],
    logger: SessionStoreLogger,
  ) {
    for (const index of loaded) {
      this.indexes.set(index.agentId, index);
      for (const key of index.entries.keys()) {
        const owner = this.owners.get(key);
        if (owner) {
          logger.warn("sessions.index.duplicate_key", { key, keptIn: owner.path, ignoredIn: index.path });
          continue;
        }
        this.owners.set(key, index);
      }
    }
  }

  get size(): number {
    return this.owners.size;
  }

  allIndexes(): Iterable<AgentSessionIndex> {
    return this.indexes.values();
  }

  indexFor(agentId: string): AgentSessionIndex {
    let index = this.indexes.get(agentId);
    if (!index) {
      index = new AgentSessionIndex(this.stateDir, agentId);
      this.indexes.set(agentId, index);
    }
    return index;
  }

  agentIdFor(canonicalKey: string, fallback?: string): string {
    const owner = this.owners.get(canonicalKey);
    if (owner) return owner.agentId;
    return parseSessionKey(canonicalKey)?.agentId ?? normalizeAgentId(fallback ?? this.defaultAgentId);
  }

  find(canonicalKey: string): Located | undefined {
    const index = this.owners.get(canonicalKey);
    const entry = index?.entries.get(canonicalKey);
    return index && entry ? { index, entry } : undefined;
  }

  /** Adds a new session to its agent's index and starts writing it; `creation()` tells when it is durable. */
  create(canonicalKey: string, init: z.infer<typeof InitSchema>, at: number): Located {
    const index = this.indexFor(this.agentIdFor(canonicalKey));
    const entry = createSessionEntry(canonicalKey, init, at);
    index.entries.set(canonicalKey, entry);
    this.owners.set(canonicalKey, index);
    index.touch();
    const durable = index.persist();
    this.creating.set(canonicalKey, durable);
    const settled = () => {
      if (this.creating.get(canonicalKey) === durable) this.creating.delete(canonicalKey);
    };
    durable.then(settled, settled);
    return { index, entry };
  }

  /** The pending index write of a session created moments ago (undefined once it is on disk). */
  creation(canonicalKey: string): Promise<void> | undefined {
    return this.creating.get(canonicalKey);
  }

  remove(canonicalKey: string, index: AgentSessionIndex): void {
    index.entries.delete(canonicalKey);
    this.owners.delete(canonicalKey);
    index.touch();
  }

  *entries(): Generator<{ key: string; index: AgentSessionIndex; entry: StoredSessionEntry }> {
    for (const index of this.indexes.values()) {
      for (const [key, entry] of index.entries) {
        if (this.owners.get(key) === index) yield { key, index, entry };
      }
    }
  }

  *resolvableSessions(): Generator<ResolvableSession> {
    for (const { key, index, entry } of this.entries()) yield resolvable(key, { index, entry });
  }
}

export function resolvable(key: string, { index, entry }: Located): ResolvableSession {
  const session: ResolvableSession = { key, agentId: index.agentId, sessionId: entry.sessionId };
  if (entry.label !== undefined) session.label = entry.label;
  const displayName = entryDisplayName(entry);
  if (displayName !== undefined) session.displayName = displayName;
  return session;
}
