import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  agentSessionsDir,
  INDEX_FILE_NAME,
  listAgentDirectories,
  loadAgentSessionIndex,
} from "./agent-session-index.js";
import { isNotFound } from "./durable-file.js";
import {
  type AdoptedTranscript,
  adoptOrphanTranscripts,
  listTranscriptIds,
} from "./session-index-rebuild.js";
import type { SessionStoreLogger } from "./session-store.js";

export interface SessionIndexHealth {
  agentId: string;
  indexPath: string;
  /** "corrupt": not valid JSON or not an object; "missing": absent while transcripts exist. */
  state: "ok" | "missing" | "corrupt";
  sessions: number;
  /** Transcripts no index entry names: their sessions are invisible until the index is repaired. */
  orphanTranscripts: number;
}

/** Reads every agent's session index and transcripts without changing anything (for `openclaw doctor`). */
export async function inspectSessionIndexes(stateDir: string): Promise<SessionIndexHealth[]> {
  const report: SessionIndexHealth[] = [];
  for (const agentId of await listAgentDirectories(stateDir)) {
    const dir = agentSessionsDir(stateDir, agentId);
    const indexPath = join(dir, INDEX_FILE_NAME);
    const transcripts = await listTranscriptIds(dir);
    let named = new Set<string>();
    let state: SessionIndexHealth["state"] = "ok";
    try {
      const data = JSON.parse(await readFile(indexPath, "utf8")) as unknown;
      if (typeof data !== "object" || data === null || Array.isArray(data)) state = "corrupt";
      else
        named = new Set(
          Object.values(data).map((entry) => (entry as { sessionId?: unknown })?.sessionId as string),
        );
    } catch (error) {
      state = isNotFound(error) ? (transcripts.length > 0 ? "missing" : "ok") : "corrupt";
    }
    const orphanTranscripts = transcripts.filter((id) => !named.has(id)).length;
    report.push({ agentId, indexPath, state, sessions: named.size, orphanTranscripts });
  }
  return report;
}

/**
 * Repairs every agent's session index: a corrupt or missing one is rebuilt from the transcripts (as the gateway does
 * at start), and transcripts no entry names are added back. Run it while the gateway is stopped: a running gateway
 * keeps its own copy of the index and would write it back over the repair.
 */
export async function repairSessionIndexes(
  stateDir: string,
  o: { now?: () => number; logger?: SessionStoreLogger } = {},
): Promise<Array<{ agentId: string; adopted: AdoptedTranscript[] }>> {
  const now = o.now ?? Date.now;
  const logger = o.logger ?? { warn() {} };
  const repaired: Array<{ agentId: string; adopted: AdoptedTranscript[] }> = [];
  const owned = new Set<string>();
  for (const agentId of await listAgentDirectories(stateDir)) {
    const isTaken = (key: string) => owned.has(key);
    const adopted: AdoptedTranscript[] = [];
    const onRebuilt = (rebuilt: AdoptedTranscript[]) => adopted.push(...rebuilt);
    const index = await loadAgentSessionIndex({ stateDir, agentId, now, logger, isTaken, onRebuilt });
    const orphans = await adoptOrphanTranscripts(index, { now: now(), isTaken });
    if (orphans.length > 0) await index.persist();
    adopted.push(...orphans);
    for (const key of index.entries.keys()) owned.add(key);
    repaired.push({ agentId, adopted });
  }
  return repaired;
}
