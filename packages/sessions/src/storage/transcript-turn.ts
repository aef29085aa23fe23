import type { TranscriptEntry } from "../transcript-file.js";

/** What a run id answering a recorded message again adds to the recording run's id: `<runId>:resume-<n>`. */
export const RESUME_RUN_MARK = ":resume-";

/**
 * `readTranscript(sessionId, { turnOf })` over a whole transcript: the user entries carrying `idempotencyKey` under a
 * run id, and every entry of those runs or of their resumes, in transcript order. The reference engines agree with.
 */
export function selectTurnEntries(
  transcript: readonly TranscriptEntry[],
  idempotencyKey: string,
): TranscriptEntry[] {
  const runIds = new Set<string>();
  for (const entry of transcript) {
    if (entry.role === "user" && entry.idempotencyKey === idempotencyKey && typeof entry.runId === "string") {
      runIds.add(entry.runId);
    }
  }
  if (runIds.size === 0) return [];
  return transcript.filter((entry) => typeof entry.runId === "string" && isRunOf(entry.runId, runIds));
}

function isRunOf(runId: string, runIds: ReadonlySet<string>): boolean {
  if (runIds.has(runId)) return true;
  for (const userRunId of runIds) if (runId.startsWith(`${userRunId}${RESUME_RUN_MARK}`)) return true;
  return false;
}
