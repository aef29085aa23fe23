import type { TranscriptEntry } from "../transcript-file.js";
import type { StoredSession, TableRecord } from "./storage-port.js";
import type { UsageRow } from "./usage-ledger.js";

/**
 * What a memory storage holds. Pass the same data to a second `createMemoryStorage` to "reopen" it: that is how the
 * conformance suite checks that data survives close + open. Storages over one data also share one in-process
 * cluster (`openCluster`).
 */
export interface MemoryStorageData {
  sessions: Map<string, StoredSession>;
  transcripts: Map<string, TranscriptEntry[]>;
  tables: Map<string, Map<string, TableRecord>>;
  /** The usage ledger, keyed by run, provider and model (created on first use when absent). */
  usage?: Map<string, UsageRow>;
}

export function createMemoryStorageData(): MemoryStorageData {
  return { sessions: new Map(), transcripts: new Map(), tables: new Map(), usage: new Map() };
}
