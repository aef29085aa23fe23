import type { TranscriptEntry } from "@openclaw/sessions";
import { jsonText } from "./storage-arguments.js";

/**
 * Transcript entries as the arrays an insert unnests: the JSON texts, and the two columns a keyed read looks up
 * (`readTranscript({ turnOf })`). The columns are taken here, not with `->>` in the server: `->>` fails on a value
 * holding "\u0000" or a lone surrogate, which `json` stores as written.
 */
export interface TranscriptEntryRows {
  texts: string[];
  /** The entry's `runId` when it is a string. */
  runIds: (string | null)[];
  /** The `idempotencyKey` of a user entry with a run id: the entries a retry looks for. */
  keys: (string | null)[];
}

export function transcriptEntryRows(entries: readonly TranscriptEntry[]): TranscriptEntryRows {
  const rows: TranscriptEntryRows = { texts: [], runIds: [], keys: [] };
  entries.forEach((entry, i) => {
    const runId = typeof entry.runId === "string" ? entry.runId : null;
    const key = entry.role === "user" && runId !== null ? entry.idempotencyKey : undefined;
    rows.texts.push(jsonText(entry, `transcript entry ${i}`));
    rows.runIds.push(runId);
    rows.keys.push(typeof key === "string" ? key : null);
  });
  return rows;
}
