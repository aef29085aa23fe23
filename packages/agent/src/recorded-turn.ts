import type { AgentRunRequest, AgentRunResult, TranscriptEntry, TranscriptSink } from "./types.js";

/** A user message the transcript already holds under an idempotency key, with what its run left behind. */
export interface RecordedTurn {
  /** The newest run of the message: the one that recorded it, or the last that ran it again. */
  runId: string;
  sessionKey: string;
  /** The run's assistant entry, when the run got that far. */
  answer: TranscriptEntry | undefined;
  /** The run that recorded the user entry. */
  userRunId: string;
  /** How many runs ran the message again (`resumeUnanswered`); 0 when only the recording run did. */
  resumes: number;
}

/** A request that `accept` has already made durable: the run must not append its user entry again. */
export interface RecordedRequest extends AgentRunRequest {
  recorded: Promise<void>;
  /** Set when the request runs a recorded message again: the run that recorded its user entry. */
  resumes?: string;
}

const RESUME_MARK = ":resume-";

/**
 * The id of the `attempt`th run that answers a recorded message again. Derived from the recording run's id, so
 * every instance finds the newest run of the message (and its answer) in the transcript alone.
 */
export function resumedRunId(userRunId: string, attempt: number): string {
  return `${userRunId}${RESUME_MARK}${attempt}`;
}

/** Which run of the message `userRunId` recorded `runId` is: 0 for the recording run, undefined for another run. */
function attemptOf(runId: string | undefined, userRunId: string): number | undefined {
  if (runId === userRunId) return 0;
  if (!runId?.startsWith(`${userRunId}${RESUME_MARK}`)) return undefined;
  const attempt = Number(runId.slice(userRunId.length + RESUME_MARK.length));
  return Number.isInteger(attempt) && attempt > 0 ? attempt : undefined;
}

export function isRecorded(request: AgentRunRequest): request is RecordedRequest {
  return (request as Partial<RecordedRequest>).recorded !== undefined;
}

/** The newest user entry carrying `idempotencyKey`, or undefined; the transcript is the durable index of keys. */
export function findRecordedTurn(
  sessionKey: string,
  transcript: TranscriptEntry[],
  idempotencyKey: string,
): RecordedTurn | undefined {
  const user = transcript.findLast(
    (entry) => entry.role === "user" && entry.idempotencyKey === idempotencyKey && entry.runId !== undefined,
  );
  const userRunId = user?.runId;
  if (userRunId === undefined) return undefined;
  let resumes = 0;
  for (const entry of transcript) resumes = Math.max(resumes, attemptOf(entry.runId, userRunId) ?? 0);
  const runId = resumes === 0 ? userRunId : resumedRunId(userRunId, resumes);
  const answer = transcript.findLast((entry) => entry.role === "assistant" && entry.runId === runId);
  return { runId, sessionKey, answer, userRunId, resumes };
}

/** `findRecordedTurn` over what the sink reads for the key: only the turn's entries when it can select them. */
export async function readRecordedTurn(
  transcripts: TranscriptSink,
  sessionKey: string,
  idempotencyKey: string,
): Promise<RecordedTurn | undefined> {
  const entries = transcripts.readTurn
    ? await transcripts.readTurn(sessionKey, idempotencyKey)
    : await transcripts.read(sessionKey);
  return findRecordedTurn(sessionKey, entries, idempotencyKey);
}

/**
 * The outcome of a run this process no longer knows (it ran before a restart), rebuilt from its transcript entries.
 * A run with no answer was cut off by the restart: it is reported, never run again.
 */
export function recordedResult(turn: RecordedTurn): AgentRunResult {
  const { answer } = turn;
  if (!answer) {
    return unansweredResult(turn, {
      code: "RUN_INTERRUPTED",
      message:
        "the gateway stopped while this run was in flight; the message is kept in the transcript: send it again with a new idempotencyKey to get an answer",
    });
  }
  const inputTokens = answer.usage?.inputTokens ?? 0;
  const outputTokens = answer.usage?.outputTokens ?? 0;
  const result: AgentRunResult = {
    runId: turn.runId,
    sessionKey: turn.sessionKey,
    status: answer.isError ? "error" : "ok",
    text: answer.text,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
  };
  if (answer.model !== undefined) result.model = answer.model;
  if (answer.isError) result.error = { code: "RUN_FAILED", message: "the run ended early before a restart" };
  return result;
}

/** The outcome of a recorded run that left no answer to report. */
export function unansweredResult(
  turn: RecordedTurn,
  error: { code: string; message: string },
): AgentRunResult {
  const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  return { runId: turn.runId, sessionKey: turn.sessionKey, status: "error", text: "", usage, error };
}

/**
 * Drops the run's own user entries that were recorded before it started (the context adds the message itself). A
 * run that answers a recorded message again also drops what earlier runs of that message left (their partial or
 * failed answers): the model sees the message once, last, as on its first run.
 */
export function withoutOwnUserEntries(
  history: TranscriptEntry[],
  runId: string,
  requests: AgentRunRequest[] = [],
): TranscriptEntry[] {
  const resumed = requests.flatMap((request) =>
    isRecorded(request) && request.resumes !== undefined ? [request.resumes] : [],
  );
  return history.filter(
    (entry) =>
      !(entry.role === "user" && entry.runId === runId) &&
      !resumed.some((userRunId) => attemptOf(entry.runId, userRunId) !== undefined),
  );
}
